package sqlgen

import (
	"strconv"
	"strings"

	"github.com/trellis-gql/trellis/engine/plan"
)

// A GraphQL mutation field compiles to one step per write (update_<t>_many
// has several, the others one); engine/exec runs every step of every root
// field in one transaction, in order.
//
// A step is one statement when it can be: the write is a data-modifying CTE
// and the select that follows builds the field's JSON from the rows it
// returned. That select cannot see what the write did to the tables, only
// the returned rows (Postgres runs a statement and its CTEs on one
// snapshot), so when the output reads tables — a relationship, an aggregate
// of one, a computed field — the step takes two statements, as Hasura's
// does: the write answers with its rows as JSON, and Output reads them back
// (json_populate_recordset) and follows relationships on a snapshot that
// includes the write.

// MutationStep is one write of a mutation field.
type MutationStep struct {
	// Statement writes and answers with the field's JSON, or, when Output
	// is set, with {"n": affected rows, "rows": [row, …]}.
	Statement *Statement
	// Output, when set, answers with the field's JSON; its argument
	// OutputArg takes Statement's answer.
	Output    *Statement
	OutputArg int
}

// MutationField is a mutation root field's steps. Many makes the field's
// value the JSON array of the steps' values (update_<t>_many).
type MutationField struct {
	Steps []MutationStep
	Many  bool
	// ErrorPath is where a database error of the field is reported.
	ErrorPath string
}

// mutationCTE holds the rows a mutation wrote, as RETURNING gave them.
const mutationCTE = "_m"

// Mutation compiles a mutation root field.
func Mutation(m *plan.Mutation, opts Options) *MutationField {
	out := &MutationField{Many: m.Many, ErrorPath: m.ErrorPath}
	for _, w := range m.Writes {
		out.Steps = append(out.Steps, mutationStep(w, opts))
	}
	return out
}

func mutationStep(w plan.Write, opts Options) MutationStep {
	g := &gen{stringify: opts.StringifyNumeric, session: opts.Session}
	g.write("WITH ")
	affected, checked := g.writeCTEs(w)
	if !readsTables(w.Output) {
		g.write(" SELECT ")
		g.mutationJSON(w.Output, mutationCTE, affected)
		g.checkColumn(checked)
		st := g.statement()
		st.Checked = len(checked) > 0
		return MutationStep{Statement: st}
	}
	g.write(" SELECT json_build_object('n', ", affected, ", 'rows', (SELECT coalesce(json_agg(", mutationCTE, "), '[]') FROM ", mutationCTE, "))")
	g.checkColumn(checked)
	st := g.statement()
	st.Checked = len(checked) > 0
	out := &gen{stringify: opts.StringifyNumeric, session: opts.Session}
	ph := out.bind("") // filled with the write's answer at run time
	rows := "json_populate_recordset(NULL::" + Qualified(w.Table.Name) + ", (" + ph + "::json)->'rows')"
	out.write("SELECT ")
	out.mutationJSON(w.Output, rows, "(("+ph+"::json)->>'n')::integer")
	return MutationStep{Statement: st, Output: out.statement(), OutputArg: 0}
}

func (g *gen) statement() *Statement {
	return &Statement{SQL: g.sb.String(), Args: g.args, Slots: g.slots, SessionArgs: g.sessionArgs}
}

// writeCTEs writes the CTEs of a write, the last one named mutationCTE and
// holding the rows the field reports, and returns the SQL expression of the
// number of rows written (nested inserts included) and the CTEs whose rows
// carry a permission check (checkColumn).
func (g *gen) writeCTEs(w plan.Write) (affected string, checked []string) {
	affected = "(SELECT count(*) FROM " + mutationCTE + ")"
	switch {
	case w.Delete != nil:
		g.write(mutationCTE, " AS (")
		g.deleteSQL(w.Delete)
		g.write(" RETURNING *)")
	case w.Update != nil:
		g.write(mutationCTE, " AS (")
		row := g.updateSQL(w.Update)
		if g.returning(row, w.Update.Check, nil) {
			checked = append(checked, mutationCTE)
		}
	case !w.Insert.Nested():
		g.write(mutationCTE, " AS (")
		g.insertSQL(flatInsert(w.Insert))
		if g.insertReturning(w.Insert) {
			checked = append(checked, mutationCTE)
		}
	default:
		n := &nestedInserts{g: g}
		var roots []string
		for _, row := range w.Insert.Rows {
			roots = append(roots, n.row(w.Insert, row, nil))
		}
		g.write(", ", mutationCTE, " AS (")
		for i, r := range roots {
			if i > 0 {
				g.write(" UNION ALL ")
			}
			g.write("SELECT * FROM ", r)
		}
		g.write(")")
		return n.affected(), n.checked
	}
	return affected, checked
}

// flatInsert turns an insert without nested rows into the data API's
// multi-row form: the columns any row sets, in the order first set, and
// DEFAULT where a row is silent.
func flatInsert(ins *plan.Insert) *plan.DMLInsert {
	out := &plan.DMLInsert{Table: ins.Table, OnConflict: ins.OnConflict}
	pos := map[string]int{}
	for _, r := range ins.Rows {
		for _, c := range r.Cells {
			if _, ok := pos[c.Column]; !ok {
				pos[c.Column] = len(out.Columns)
				out.Columns = append(out.Columns, c.Column)
			}
		}
	}
	if len(out.Columns) == 0 {
		// Every object is empty: DEFAULT in the first column gives a row
		// of defaults.
		out.Columns = []string{ins.Table.Columns[0].Name}
	}
	for _, r := range ins.Rows {
		cells := make([]*plan.Value, len(out.Columns))
		for _, c := range r.Cells {
			v := c.Value
			cells[pos[c.Column]] = &v
		}
		out.Rows = append(out.Rows, cells)
	}
	return out
}

// mutationJSON writes the JSON of a write's output from the rows in from (a
// CTE or a row source) given the expression of the affected rows.
func (g *gen) mutationJSON(out plan.MutationOutput, from, affected string) {
	if out.One {
		a := g.alias()
		g.write("(SELECT ")
		g.rowJSON(out.Row, a)
		g.write(" FROM ", from, " AS ", a, " LIMIT 1)")
		return
	}
	g.jsonObject(len(out.Response), func(i int) {
		f := out.Response[i]
		g.write(g.text(f.Alias), ", ")
		switch f.Kind {
		case plan.ResponseTypename:
			g.write(g.text(f.Text))
		case plan.ResponseAffectedRows:
			g.write(affected)
		case plan.ResponseReturning:
			a := g.alias()
			g.write("(SELECT coalesce(json_agg(")
			g.rowJSON(f.Returning, a)
			g.write("), '[]') FROM ", from, " AS ", a, ")")
		}
	})
}

// readsTables reports whether an output reads more than the written rows:
// a relationship or a computed field.
func readsTables(out plan.MutationOutput) bool {
	fields := out.Row
	for _, f := range out.Response {
		fields = append(fields, f.Returning...)
	}
	for _, f := range fields {
		if f.Kind == plan.FieldSelect || f.Kind == plan.FieldComputed {
			return true
		}
	}
	return false
}

// nestedInserts writes an insert with nested rows as one CTE per row:
// a row's object-relationship rows come first and it takes their keys
// from their CTEs; its array-relationship rows come after, taking its key
// from its CTE. One statement does it all, since a CTE sees the rows an
// earlier one returned, and foreign keys are checked at its end.
type nestedInserts struct {
	g    *gen
	ctes []string
	// checked are the CTEs whose rows carry a permission check.
	checked []string
}

// rowRef is a CTE of one row whose columns fill columns of another row:
// Outer names the CTE's column, Inner the filled one.
type rowRef struct {
	cte  string
	join []plan.ColumnPair
}

// row writes the CTEs of one row and its nested rows and returns the name
// of the row's own CTE.
func (n *nestedInserts) row(ins *plan.Insert, row plan.InsertRow, refs []rowRef) string {
	for _, b := range row.Before {
		for _, parent := range b.Insert.Rows {
			cte := n.row(b.Insert, parent, nil)
			ref := rowRef{cte: cte}
			for _, j := range b.Join { // owner.From = parent.To
				ref.join = append(ref.join, plan.ColumnPair{Outer: j.Inner, Inner: j.Outer})
			}
			refs = append(refs, ref)
		}
	}
	g := n.g
	name := "_r" + strconv.Itoa(len(n.ctes))
	if len(n.ctes) > 0 {
		g.write(", ")
	}
	n.ctes = append(n.ctes, name)
	filled := map[string]bool{}
	for _, r := range refs {
		for _, j := range r.join {
			filled[j.Inner] = true
		}
	}
	var cols, exprs []string
	for _, c := range row.Cells {
		if !filled[c.Column] { // the related row's key wins
			cols = append(cols, Ident(c.Column))
			exprs = append(exprs, g.value(c.Value))
		}
	}
	var from []string
	for _, r := range refs {
		from = append(from, r.cte)
		for _, j := range r.join {
			cols = append(cols, Ident(j.Inner))
			exprs = append(exprs, r.cte+"."+Ident(j.Outer))
		}
	}
	g.write(name, " AS (INSERT INTO ", Qualified(ins.Table.Name))
	if len(cols) == 0 {
		g.write(" DEFAULT VALUES")
	} else {
		g.write(" (", strings.Join(cols, ", "), ") SELECT ", strings.Join(exprs, ", "))
		if len(from) > 0 {
			g.write(" FROM ", strings.Join(from, ", "))
		}
	}
	if ins.OnConflict != nil {
		g.dmlConflict(ins.Table, ins.OnConflict)
	}
	if g.insertReturning(ins) {
		n.checked = append(n.checked, name)
	}
	for _, a := range row.After {
		ref := rowRef{cte: name, join: a.Join} // child.To = owner.From
		for _, child := range a.Insert.Rows {
			n.row(a.Insert, child, []rowRef{ref})
		}
	}
	return name
}

// affected is the sum of the rows every CTE inserted.
func (n *nestedInserts) affected() string {
	out := "("
	for i, c := range n.ctes {
		if i > 0 {
			out += " + "
		}
		out += "(SELECT count(*) FROM " + c + ")"
	}
	return out + ")"
}
