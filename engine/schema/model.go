package schema

import (
	"sync"

	"github.com/graphql-go/graphql"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/metadata"
	"github.com/trellis-gql/trellis/permissions"
)

// Schema is one role's GraphQL schema: the graphql-go schema, which answers
// introspection, and the lookup tables the planner walks to turn a
// document into IR.
type Schema struct {
	Role string
	// Catalog is the database catalog the schema was built from.
	Catalog *catalog.Catalog
	// Naming is the naming convention the schema's names follow.
	Naming Naming
	// Query is query_root, Subscription subscription_root; Object finds
	// the other object types.
	Query        *Object
	Subscription *Object
	// Mutation is mutation_root, nil when the role sees no table;
	// mutationObjs holds it and the <t>_mutation_response objects.
	Mutation     *Object
	mutationObjs map[string]*Object
	// owner maps a generated object type name to its table.
	owner map[string]*Table
	// comparisons caches <scalar>_comparison_exp inputs by name.
	comparisons sync.Map
	// Conflicts lists tables left out because their generated names clash
	// with another table's.
	Conflicts []string
	// Skipped lists tables left out because their names are not valid
	// GraphQL names (a table tracked without a custom_name).
	Skipped []string

	once       sync.Once
	builder    *builder // until the graphql-go schema is built
	graphql    *graphql.Schema
	graphqlErr error
}

// ObjectKind tells what an output object type stands for.
type ObjectKind int

// Object kinds.
const (
	ObjRoot            ObjectKind = iota // query_root
	ObjTable                             // a table's row type
	ObjAggregate                         // <t>_aggregate: aggregate + nodes
	ObjAggregateFields                   // <t>_aggregate_fields: count, sum, …
	ObjAggregateOp                       // <t>_sum_fields and friends
)

// Object is an output object type.
type Object struct {
	Name   string
	Kind   ObjectKind
	Table  *Table // nil for query_root
	AggOp  string // for ObjAggregateOp: "sum", "avg", …
	Fields map[string]*Field
}

// FieldKind tells what an output field stands for.
type FieldKind int

// Field kinds.
const (
	FieldColumn            FieldKind = iota // a column of the row
	FieldObjectRel                          // an object relationship
	FieldArrayRel                           // an array relationship
	FieldArrayRelAggregate                  // <rel>_aggregate
	FieldSelect                             // root <t>
	FieldSelectByPk                         // root <t>_by_pk
	FieldSelectAggregate                    // root <t>_aggregate
	FieldAggregate                          // aggregate (in <t>_aggregate)
	FieldNodes                              // nodes (in <t>_aggregate)
	FieldCount                              // count (in <t>_aggregate_fields)
	FieldAggOp                              // sum, avg, … (in <t>_aggregate_fields)
	FieldAggOpColumn                        // a column in <t>_sum_fields, …
	FieldNoQueries                          // no_queries_available
	FieldComputedScalar                     // a computed field returning a scalar
	FieldComputedTable                      // a computed field returning rows of a table
	FieldFunction                           // root <fn>: a tracked function's rows
	FieldFunctionAggregate                  // root <fn>_aggregate
	FieldSelectStream                       // subscription root <t>_stream
)

// Field is an output field of an Object.
type Field struct {
	Name   string
	Kind   FieldKind
	Table  *Table        // the table the field reads from
	Column *Column       // FieldColumn, FieldAggOpColumn
	Rel    *Relationship // FieldObjectRel, FieldArrayRel, FieldArrayRelAggregate
	AggOp  string        // FieldAggOp, FieldAggOpColumn
	// Computed is set for FieldComputedScalar and FieldComputedTable,
	// Function for FieldFunction and FieldFunctionAggregate.
	Computed *ComputedField
	Function *Function
	// Args lists the names of the arguments the field takes.
	Args map[string]bool
	// Type is the field's GraphQL type name, without modifiers.
	Type string
}

// Table is a tracked table as the schema exposes it.
type Table struct {
	Meta  *metadata.Table
	Names TypeNames
	// Columns are the exposed columns, in catalog order.
	Columns       []*Column
	ColumnByField map[string]*Column
	// Relationships, object ones first, in metadata order.
	Relationships []*Relationship
	RelByField    map[string]*Relationship
	// ComputedFields are the exposed computed fields, in metadata order.
	ComputedFields []*ComputedField
	// allColumns are every column with a valid name, permitted or not:
	// the mutation inputs pick theirs from them.
	allColumns []*Column
	// PrimaryKey is nil for tables without one (views) or with a key
	// column the role cannot read: no _by_pk field.
	PrimaryKey []*Column
	// Perm is the role's permissions on the table; its Select is set.
	Perm *permissions.Table
	// WriteOnly marks a table the role may write but not read (no select
	// permission): it has mutation fields only (see writeonly.go).
	WriteOnly bool
	// Mutable describes the table's mutation fields (mutation.go).
	Mutable *Mutable

	objOnce sync.Once
	objs    map[string]*Object // built by objects()
}

// Column is an exposed column.
type Column struct {
	Field  string // GraphQL field name
	Info   *catalog.Column
	Type   *catalog.Type
	Scalar Scalar
	// Description is the column_config comment ("" for none), else the
	// database comment.
	Description string
}

// Relationship is an exposed relationship whose target is exposed too.
type Relationship struct {
	Field  string
	Meta   *metadata.Relationship
	Target *Table
}

// Input is an input object type the planner reads.
type Input struct {
	Name string
	Kind InputKind
	// Table is set for bool_exp and order_by inputs.
	Table *Table
	// Scalar is set for comparison_exp inputs.
	Scalar *Scalar
	// Ops lists a comparison_exp's operators by name.
	Ops map[string]Operator
}

// InputKind tells what an input object type stands for.
type InputKind int

// Input kinds.
const (
	InputBoolExp InputKind = iota
	InputOrderBy
	InputComparison
)

// Operator is a comparison operator of a comparison_exp.
type Operator struct {
	Name string
	// Shape says what value the operator takes.
	Shape OperandShape
}

// OperandShape is the shape of an operator's operand.
type OperandShape int

// Operand shapes.
const (
	OperandScalar     OperandShape = iota // a value of the column's scalar
	OperandList                           // a list of such values
	OperandBoolean                        // a Boolean (_is_null)
	OperandString                         // a String, sent as text (_has_key) or jsonpath (_jsonb_path_exists)
	OperandStringList                     // a list of Strings (_has_keys_any)
	OperandCast                           // a <scalar>_cast_exp (_cast)
	OperandDWithin                        // an st_d_within_input (_st_d_within)
	OperandQuery                          // an lquery or ltxtquery (the ltree _matches, _matches_fulltext)
)

// OrderByValues are the values of the order_by enum, with Hasura's
// descriptions, in schema order.
var OrderByValues = []struct{ Name, Desc string }{
	{"asc", "in ascending order, nulls last"},
	{"asc_nulls_first", "in ascending order, nulls first"},
	{"asc_nulls_last", "in ascending order, nulls last"},
	{"desc", "in descending order, nulls first"},
	{"desc_nulls_first", "in descending order, nulls first"},
	{"desc_nulls_last", "in descending order, nulls last"},
}

// Kinds of table root fields, as select permissions name them in
// query_root_fields.
const (
	RootSelect          = "select"
	RootSelectByPk      = "select_by_pk"
	RootSelectAggregate = "select_aggregate"
	RootSelectStream    = "select_stream" // subscription_root only
)

// HasRoot reports whether the role has the table's root field of a kind:
// _by_pk needs a primary key it can read, _aggregate allow_aggregations.
func (t *Table) HasRoot(kind string) bool {
	return kind != RootSelectStream && t.rootAllowed(kind) && t.Perm.Select.HasRootField(kind)
}

// HasSubscriptionRoot reports whether the role has the table's
// subscription root field of a kind (subscription_root_fields).
func (t *Table) HasSubscriptionRoot(kind string) bool {
	return t.rootAllowed(kind) && t.Perm.Select.HasSubscriptionRootField(kind)
}

// rootAllowed says whether the table can have a root field of a kind at
// all: _by_pk needs a primary key the role can read, _aggregate
// allow_aggregations, _stream a column to stream by.
func (t *Table) rootAllowed(kind string) bool {
	switch kind {
	case RootSelectByPk:
		if t.PrimaryKey == nil {
			return false
		}
	case RootSelectAggregate:
		if !t.Aggregatable() {
			return false
		}
	case RootSelectStream:
		if len(t.Columns) == 0 {
			return false
		}
	}
	return true
}

// Aggregatable reports whether the role may aggregate the table's rows
// (<t>_aggregate, <rel>_aggregate).
func (t *Table) Aggregatable() bool { return t.Perm.Select.AllowAggregations }
