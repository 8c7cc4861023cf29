package sqlgen

import (
	"github.com/trellis-gql/trellis/engine/plan"
)

// Permission checks of mutations (plan.Insert.Check, UpdateCheck and
// plan.DMLUpdate.Check) are post-conditions on the written rows, and are
// evaluated where Hasura evaluates them: in the statement that writes the
// rows. Each data-modifying CTE returns, next to the row, the value of its
// check on the row as written:
//
//	INSERT INTO t … RETURNING *, (<check over t>) AS check__constraint
//
// (an upsert picks the insert or the update check per row: xmax = 0 tells
// a row the INSERT created from one ON CONFLICT DO UPDATE rewrote), and the
// statement's final SELECT answers, after the field's JSON, a second
// column that is true when every written row passed (bool_and over those
// CTEs) and otherwise calls hdb_catalog.check_violation, which raises
// Hasura's error (as Hasura's own check does): the statement fails, and
// with it the transaction of the whole mutation, so nothing is left
// half-written and a checked mutation needs no more round trips than an
// unchecked one. engine/exec turns that error into Hasura's
// permission-error at the field.
//
// A check's subqueries (a relationship, _exists) read the database as the
// statement found it, as Hasura's do: rows inserted by the same statement
// (the nested rows of the same insert) are not visible to them.

// checkColumn is the column of a written row that holds its check.
const checkColumn = "check__constraint"

// returning ends a data-modifying CTE over the row named row: RETURNING *
// and, when the write has a check, the check column. check applies to
// inserted rows (or updated ones, for an update), updateCheck, when set, to
// the rows an ON CONFLICT DO UPDATE rewrote. It reports whether it wrote
// the check column.
func (g *gen) returning(row string, check, updateCheck plan.BoolExp) bool {
	g.write(" RETURNING *")
	if check == nil && updateCheck == nil {
		g.write(")")
		return false
	}
	g.write(", ")
	if updateCheck == nil {
		g.checkExp(check, row)
	} else {
		g.write("(CASE WHEN ", row, ".xmax = 0 THEN ")
		g.checkExp(check, row)
		g.write(" ELSE ")
		g.checkExp(updateCheck, row)
		g.write(" END)")
	}
	g.write(" AS ", checkColumn, ")")
	return true
}

// insertReturning ends the CTE of an insert: the row goes by its table's
// name in RETURNING.
func (g *gen) insertReturning(ins *plan.Insert) bool {
	return g.returning(Qualified(ins.Table.Name), ins.Check, ins.UpdateCheck)
}

// checkExp writes a check over the row named row; nil holds always. A
// check that is NULL (a comparison with a NULL column) does not hold: a
// row passes only when its check is true, as a row filter keeps a row.
func (g *gen) checkExp(e plan.BoolExp, row string) {
	if e == nil {
		g.write("true")
		return
	}
	g.write("coalesce(")
	g.boolExp(e, row)
	g.write(", false)")
}

// checkColumn writes, as the statement's second column, whether every row
// of the CTEs that carry a check passed it (true when none was written); it
// writes nothing when no CTE has a check.
func (g *gen) checkColumn(ctes []string) {
	if len(ctes) == 0 {
		return
	}
	g.write(", (CASE WHEN ")
	for i, c := range ctes {
		if i > 0 {
			g.write(" AND ")
		}
		g.write("(SELECT coalesce(bool_and(", checkColumn, "), true) FROM ", c, ")")
	}
	g.write(" THEN true ELSE hdb_catalog.check_violation(", g.text(CheckViolationMessage), ") END)")
}

// CheckViolationMessage is Hasura's message for a written row that fails
// the check of the role's insert or update permission.
const CheckViolationMessage = "check constraint of an insert/update permission has failed"
