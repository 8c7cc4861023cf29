package plan

import (
	"github.com/graphql-go/graphql/language/ast"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// Operation is a planned GraphQL operation.
type Operation struct {
	// Fields are the root fields, in response order.
	Fields []RootField
	// Rebindable lists the variables whose every use became a Value with
	// From set: the SQL does not depend on their values, only on whether
	// they are null. Other variables may shape the SQL.
	Rebindable map[string]bool
	// SessionVars are the session variables the statements read (through
	// the role's permissions): a request must have each of them.
	SessionVars []string
	// Subscription marks a subscription's plan: its fields come from
	// subscription_root. Streaming says its one field is a <t>_stream.
	Subscription bool
	Streaming    bool
}

// RootKind tells how a root field is answered.
type RootKind int

// Root field kinds.
const (
	RootSelect        RootKind = iota // SQL: Select
	RootTypename                      // a constant: the root type's name
	RootIntrospection                 // __schema / __type: the graphql-go executor
	RootConstant                      // a constant JSON value (no_queries_available)
	RootMutation                      // SQL: Mutation, in its own statements
)

// RootField is one field of the operation's root selection set.
type RootField struct {
	Alias string
	Kind  RootKind
	// Select is set for RootSelect.
	Select *Select
	// Text is the value of RootTypename and RootConstant fields.
	Text string
	// Field is the AST of a RootIntrospection field.
	Field *ast.Field
	// Mutation is set for RootMutation.
	Mutation *Mutation
}

// Select reads rows of a table and shapes them into JSON.
type Select struct {
	Table *catalog.Table
	// Function, when set, gives the rows instead of Table: a tracked
	// function or a table computed field, whose rows have Table's type.
	Function *FunctionCall
	// Shape says what JSON the select produces.
	Shape Shape
	From  Rows
	// Fields shape each row (ShapeArray, ShapeObject).
	Fields []Field
	// Aggregate shapes the aggregate object (ShapeAggregate).
	Aggregate []AggField
	// Stream is set on a <t>_stream root field: the cursor that orders its
	// rows and that From.Where compares with.
	Stream *StreamCursor
	// Cells are an inherited role's cell filters (Scope expressions) on
	// the columns and computed fields of Table, by name: wherever the
	// select reads such a value of a row (fields, aggregates, where,
	// order_by), it is null unless the row satisfies the filter.
	Cells map[string]BoolExp
}

// StreamCursor is the column a streaming subscription advances on.
type StreamCursor struct {
	Column string
	Type   *catalog.Type
	Desc   bool
}

// Shape is the JSON form of a select's result.
type Shape int

// Shapes.
const (
	ShapeArray     Shape = iota // [row, …]
	ShapeObject                 // row or null
	ShapeAggregate              // {aggregate: …, nodes: […]}
)

// Rows says which rows a select reads: the conjunction of the relationship
// join (when nested) and Where, in Order, after DistinctOn, paged.
type Rows struct {
	// Join pairs an outer column (From) with a column of this table (To).
	Join       []ColumnPair
	Where      BoolExp // nil means every row
	OrderBy    []OrderItem
	DistinctOn []string // column names
	Limit      *Value
	Offset     *Value
	// Cap is the role's permission limit, 0 for none: at most Cap rows,
	// whatever Limit says. An aggregate's Cap bounds its nodes only: as in
	// Hasura, the aggregates are computed over all the rows.
	Cap int
}

// ColumnPair maps a column of the outer table to one of the inner table.
type ColumnPair struct{ Outer, Inner string }

// FieldKind tells how a row field is computed.
type FieldKind int

// Row field kinds.
const (
	FieldColumn   FieldKind = iota // a column
	FieldTypename                  // a constant string
	FieldSelect                    // a nested select (relationship)
	FieldComputed                  // a scalar computed field: Call on the row
)

// Field is one key of a row object.
type Field struct {
	Alias  string
	Kind   FieldKind
	Column string // FieldColumn: the column name
	// Type is the column's type (FieldColumn), or the computed field's
	// (FieldComputed).
	Type   *catalog.Type
	Text   string        // FieldTypename
	Select *Select       // FieldSelect
	Call   *FunctionCall // FieldComputed
	// JSONPath selects a value inside a json/jsonb column (the path
	// argument): object keys and array indexes, as text.
	JSONPath []string
	// Upper upper-cases the value: an enum table's value in the
	// graphql-default naming convention, whose enum values are UPPER CASE.
	Upper bool
}

// AggKind tells how an aggregate field is computed.
type AggKind int

// Aggregate field kinds.
const (
	AggTypename AggKind = iota // a constant string
	AggObject                  // a nested object of AggFields (aggregate, sum, …)
	AggCount                   // count(…)
	AggColumn                  // op(column): sum, avg, max, …
	AggNodes                   // the rows, as an array of Fields
)

// AggField is one key of an aggregate object.
type AggField struct {
	Alias    string
	Kind     AggKind
	Text     string     // AggTypename
	Children []AggField // AggObject
	// Count: the columns counted (none: rows), and whether distinct.
	Columns  []string
	Distinct bool
	Op       string // AggColumn: the SQL aggregate function
	Column   string // AggColumn
	// Type is the aggregated column's type (AggColumn).
	Type  *catalog.Type
	Nodes []Field
}

// BoolExp is a boolean expression over a table's rows.
type BoolExp interface{ isBoolExp() }

// And is true when every term is (and when there are none).
type And []BoolExp

// Or is true when any term is (false when there are none).
type Or []BoolExp

// Not negates.
type Not struct{ Exp BoolExp }

// Compare compares a column with a value.
type Compare struct {
	Column string
	Type   *catalog.Type
	Op     string // _eq, _in, _is_null, …
	Value  Value  // unused for _is_null
	IsNull bool   // the _is_null operand
	// Casts converts the column, in order, before comparing (_cast).
	Casts []*catalog.Type
	// Args are further operands: distance and use_spheroid of _st_d_within.
	Args []Value
	// Call, when set, is compared instead of Column: a scalar computed
	// field of the row.
	Call *FunctionCall
}

// Exists is true when a related row satisfies Where: a row of Table
// joined to the current one, or a row Function returns for it (a table
// computed field).
type Exists struct {
	Table    *catalog.Table
	Join     []ColumnPair // outer = the current table
	Function *FunctionCall
	Where    BoolExp
}

// CompareColumns compares a column of the row with another column: of the
// same row, or with Root of the row the enclosing Scope is about.
type CompareColumns struct {
	Column string
	Op     string // _ceq, _cne, _cgt, _clt, _cgte, _clte
	Other  string
	Root   bool
}

// Scope marks a permission expression: the row it is about is the one
// its CompareColumns with Root refer to, however deep they are nested.
type Scope struct{ Exp BoolExp }

func (CompareColumns) isBoolExp() {}
func (Scope) isBoolExp()          {}
func (And) isBoolExp()            {}
func (Or) isBoolExp()             {}
func (Not) isBoolExp()            {}
func (Compare) isBoolExp()        {}
func (Exists) isBoolExp()         {}

// OrderItem sorts by one value of the row itself or, through Path, of a
// row reached by object relationships: a column, the value of a scalar
// computed field (Call) or an aggregate of related rows (Aggregate).
type OrderItem struct {
	Path       []Hop
	Column     string
	Call       *FunctionCall
	Aggregate  *OrderAggregate
	Desc       bool
	NullsFirst bool
}

// Hop follows an object relationship to the one related row.
type Hop struct {
	Table *catalog.Table
	Join  []ColumnPair // outer = the row before the hop
	// Where is the role's select filter on Table, nil for none: a row the
	// role cannot see sorts as if there were none (NULL).
	Where BoolExp
}

// Value is a user value, sent to Postgres as text and cast to Type there.
type Value struct {
	// Text is the value's text form; Null is true for SQL NULL.
	Text string
	Null bool
	// List holds the elements of a list value (for _in); Text is unused.
	List   []string
	IsList bool
	// Type is the Postgres type the value is cast to (nil: integer for
	// limit/offset).
	Type *catalog.Type
	// From is set when the value is a variable's whole value: the plan
	// cache binds a later request's value of that variable through it
	// instead of planning again.
	From *VarSource
	// Session, when set, names the session variable (lower-cased) whose
	// value this is; Text and List are unused. The value is read from the
	// statement's session argument, so it too is rebound per request.
	Session string
	// Cursor marks the value of a streaming cursor: a live query puts each
	// subscriber's current cursor in its place.
	Cursor bool
}

// VarSource says how a value is computed from a variable.
type VarSource struct {
	Name string
	// Convert checks a value of the variable exactly as the planner checked
	// it here and returns what takes this value's place; an error sends the
	// request down the full planning path, which reports it.
	Convert func(any) (Value, error)
}
