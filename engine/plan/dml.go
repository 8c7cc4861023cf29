package plan

import "github.com/trellis-gql/trellis/engine/catalog"

// The IR of Hasura's legacy data API (/v1/query insert, update, delete and
// count; its select is a Select). The names carry a DML prefix so that they
// stay apart from the GraphQL mutation IR.

// DMLInsert inserts rows into a table in one statement.
type DMLInsert struct {
	Table *catalog.Table
	// Columns are the columns written, in statement order.
	Columns []string
	// Rows hold one cell per column; a nil cell is DEFAULT.
	Rows       [][]*Value
	OnConflict *DMLConflict // nil: no ON CONFLICT clause
	// Returning shapes each returned row (FieldColumn fields only); nil
	// leaves "returning" out of the response.
	Returning []Field
}

// DMLConflict is an insert's ON CONFLICT clause.
type DMLConflict struct {
	// The conflict target: a constraint name, or columns, or neither (only
	// with DO NOTHING).
	Constraint string
	Columns    []string
	// Update lists the columns set from EXCLUDED (DO UPDATE); none means
	// DO NOTHING.
	Update []string
	// Where limits DO UPDATE to existing rows that satisfy it (GraphQL
	// on_conflict.where, and the role's update filter); nil: every
	// conflicting row.
	Where BoolExp
	// Presets are the role's update presets, set after the Update columns
	// (DO UPDATE only).
	Presets []DMLSetItem
}

// DMLSetOp tells how an update sets a column.
type DMLSetOp int

// Update operations.
const (
	DMLSet     DMLSetOp = iota // column = value
	DMLInc                     // column = column + value
	DMLMul                     // column = column * value
	DMLDefault                 // column = DEFAULT
	// The jsonb operators of GraphQL updates.
	DMLAppend       // column = column || value
	DMLPrepend      // column = value || column
	DMLDeleteKey    // column = column - value (a key, as text)
	DMLDeleteElem   // column = column - value (an index, as integer)
	DMLDeleteAtPath // column = column #- value (a path, as text[])
)

// DMLSetItem is one assignment of an update.
type DMLSetItem struct {
	Column string
	Op     DMLSetOp
	Value  Value // unused for DMLDefault
}

// DMLUpdate updates the rows of a table that satisfy Where.
type DMLUpdate struct {
	Table     *catalog.Table
	Set       []DMLSetItem
	Where     BoolExp // nil: every row
	Returning []Field // as in DMLInsert
	// Check is the role's update check, which every updated row must
	// satisfy afterwards (GraphQL updates); nil: none.
	Check BoolExp
}

// DMLDelete deletes the rows of a table that satisfy Where.
type DMLDelete struct {
	Table     *catalog.Table
	Where     BoolExp
	Returning []Field // as in DMLInsert
}

// DMLCount counts the rows of a table that satisfy Where, or the distinct
// values of Distinct among them.
type DMLCount struct {
	Table    *catalog.Table
	Where    BoolExp
	Distinct []string // column names
}
