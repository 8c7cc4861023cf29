package plan

import "github.com/trellis-gql/trellis/engine/catalog"

// The IR of GraphQL mutation root fields. Updates and deletes reuse the
// data API's DMLUpdate and DMLDelete (their Returning left nil); an insert
// may nest rows of related tables, which DMLInsert cannot.

// Mutation is one mutation root field: its writes run in order, each
// followed by its output.
type Mutation struct {
	Writes []Write
	// Many makes the field's value the list of the writes' outputs
	// (update_<t>_many); otherwise there is exactly one write.
	Many bool
	// ErrorPath is where a database error of the field is reported:
	// Hasura names the objects/object argument of an insert, "$" else.
	ErrorPath string
}

// Write is one data-modifying statement and the JSON it answers with.
// Exactly one of Insert, Update and Delete is set.
type Write struct {
	Table  *catalog.Table
	Insert *Insert
	Update *DMLUpdate
	Delete *DMLDelete
	Output MutationOutput
}

// MutationOutput shapes the rows a write touched into JSON.
type MutationOutput struct {
	// One makes the value the first row (or null), shaped by Row:
	// insert_<t>_one and the _by_pk fields.
	One bool
	Row []Field
	// Response shapes <t>_mutation_response otherwise.
	Response []ResponseField
}

// ResponseKind tells what a field of <t>_mutation_response holds.
type ResponseKind int

// Response field kinds.
const (
	ResponseTypename     ResponseKind = iota // a constant string
	ResponseAffectedRows                     // the number of rows written
	ResponseReturning                        // the rows, as an array of Returning
)

// ResponseField is one key of a <t>_mutation_response object.
type ResponseField struct {
	Alias     string
	Kind      ResponseKind
	Text      string  // ResponseTypename
	Returning []Field // ResponseReturning
}

// Insert inserts rows into a table, each with the rows of related tables
// given with it.
type Insert struct {
	Table      *catalog.Table
	Rows       []InsertRow
	OnConflict *DMLConflict // nil: no ON CONFLICT clause
	// Check is the role's insert check, which every inserted row must
	// satisfy; UpdateCheck, when set, is the update check that replaces it
	// for the rows an ON CONFLICT DO UPDATE updated instead. nil: none.
	Check, UpdateCheck BoolExp
}

// Checked reports whether some row of the insert, nested ones included,
// has a check to satisfy.
func (ins *Insert) Checked() bool {
	if ins.Check != nil || ins.UpdateCheck != nil {
		return true
	}
	for _, r := range ins.Rows {
		for _, n := range append(append([]NestedInsert(nil), r.Before...), r.After...) {
			if n.Insert.Checked() {
				return true
			}
		}
	}
	return false
}

// InsertRow is one object of an insert.
type InsertRow struct {
	// Cells are the columns the object sets, in the order written.
	Cells []InsertCell
	// Before are the object relationships whose row is inserted first,
	// the row taking the related row's key; After are the relationships
	// (array ones, mostly) whose rows are inserted next, taking this row's.
	Before, After []NestedInsert
}

// InsertCell sets one column of an inserted row.
type InsertCell struct {
	Column string
	Value  Value
}

// NestedInsert is an insert through a relationship. Join pairs a column of
// the owning row (Outer) with one of the related row (Inner): for Before,
// the owner's column takes the related row's value; for After, the other
// way round.
type NestedInsert struct {
	Join   []ColumnPair
	Insert *Insert
}

// Nested reports whether some row of the insert nests rows of related
// tables.
func (ins *Insert) Nested() bool {
	for _, r := range ins.Rows {
		if len(r.Before) > 0 || len(r.After) > 0 {
			return true
		}
	}
	return false
}
