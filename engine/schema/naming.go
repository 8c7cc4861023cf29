package schema

import (
	"strings"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/metadata"
)

// Root type names.
const (
	QueryRoot        = "query_root"
	MutationRoot     = "mutation_root"
	SubscriptionRoot = "subscription_root"
	// CursorOrdering is the enum of a streaming cursor's ordering.
	CursorOrdering = "cursor_ordering"
	// OrderByEnum is the enum of sort directions.
	OrderByEnum = "order_by"
)

// tableBaseName is the name every generated name of a table starts from:
// the custom name, else the table name, prefixed by its schema when that is
// not "public".
func tableBaseName(t *metadata.Table) string {
	if t.Config.CustomName != "" {
		return t.Config.CustomName
	}
	return qualifiedBaseName(t.Info.Name)
}

func qualifiedBaseName(n catalog.QualifiedName) string {
	if n.Schema == "public" {
		return n.Name
	}
	return n.Schema + "_" + n.Name
}

// TypeNames are the generated names of one table's types and root fields.
type TypeNames struct {
	Object          string // author
	BoolExp         string // author_bool_exp
	OrderBy         string // author_order_by
	SelectColumn    string // author_select_column
	Aggregate       string // author_aggregate
	AggregateFields string // author_aggregate_fields
	// AggregateOp maps an aggregate operator (sum, avg, max, …) to its
	// fields type: author_sum_fields.
	AggregateOp map[string]string

	Select          string // author
	SelectByPk      string // author_by_pk
	SelectAggregate string // author_aggregate
	SelectStream    string // author_stream
	// StreamCursor and StreamCursorValue are the inputs of <t>_stream's
	// cursor argument.
	StreamCursor      string // author_stream_cursor_input
	StreamCursorValue string // author_stream_cursor_value_input

	base   string // tableBaseName
	naming Naming
}

// Field names a generated field of the table's types in its convention:
// Field("stddev_pop") is stddevPop in graphql-default.
func (n TypeNames) Field(s string) string { return n.naming.Field(s) }

// Derived names another type of the table: Derived("aggregate_order_by")
// is author_aggregate_order_by (AuthorAggregateOrderBy in graphql-default).
func (n TypeNames) Derived(suffix string) string { return n.naming.Type(n.base + "_" + suffix) }

// aggregateOps lists Hasura's aggregate operators in schema order, with
// whether each applies to numeric columns only.
var aggregateOps = []struct {
	name        string
	numericOnly bool
}{
	{"avg", true},
	{"max", false},
	{"min", false},
	{"stddev", true},
	{"stddev_pop", true},
	{"stddev_samp", true},
	{"sum", true},
	{"var_pop", true},
	{"var_samp", true},
	{"variance", true},
}

// NamesFor returns the generated names of a table, honouring custom_name and
// custom_root_fields.
func NamesFor(t *metadata.Table, nc Naming) TypeNames {
	base := tableBaseName(t)
	n := TypeNames{
		Object:            nc.Type(base),
		BoolExp:           nc.Type(base + "_bool_exp"),
		OrderBy:           nc.Type(base + "_order_by"),
		SelectColumn:      nc.Type(base + "_select_column"),
		Aggregate:         nc.Type(base + "_aggregate"),
		AggregateFields:   nc.Type(base + "_aggregate_fields"),
		AggregateOp:       make(map[string]string, len(aggregateOps)),
		Select:            orDefault(t.Config.CustomRootFields.Select.Name, nc.Field(base)),
		SelectByPk:        orDefault(t.Config.CustomRootFields.SelectByPk.Name, nc.Field(base+"_by_pk")),
		SelectAggregate:   orDefault(t.Config.CustomRootFields.SelectAggregate.Name, nc.Field(base+"_aggregate")),
		SelectStream:      orDefault(t.Config.CustomRootFields.SelectStream.Name, nc.Field(base+"_stream")),
		StreamCursor:      nc.Type(base + "_stream_cursor_input"),
		StreamCursorValue: nc.Type(base + "_stream_cursor_value_input"),
		base:              base,
		naming:            nc,
	}
	for _, op := range aggregateOps {
		n.AggregateOp[op.name] = nc.Type(base + "_" + op.name + "_fields")
	}
	return n
}

// ColumnFieldName is the GraphQL field name of a column: its configured
// custom name, else the column name.
func ColumnFieldName(t *metadata.Table, column string, nc Naming) string {
	if cc, ok := t.Config.ColumnConfig[column]; ok && cc.CustomName != "" {
		return cc.CustomName
	}
	if n, ok := t.Config.CustomColumnNames[column]; ok && n != "" {
		return n
	}
	return nc.Field(column)
}

// ComparisonExpName is the name of a scalar's comparison input type.
func (n Naming) ComparisonExpName(scalar string) string { return n.Type(scalar + "_comparison_exp") }

// RelAggregateFieldName is the aggregate field of an array relationship.
func (n Naming) RelAggregateFieldName(rel string) string { return n.Field(rel + "_aggregate") }

func orDefault(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

// FunctionNames are the generated names of a tracked function: its root
// fields and its arguments' input type.
type FunctionNames struct {
	Select    string // search_articles
	Aggregate string // search_articles_aggregate
	Args      string // search_articles_args
}

// FunctionNamesFor returns a function's names: custom_root_fields, else
// custom_name (plus "_aggregate"), else the function's name prefixed by its
// schema when that is not "public". The args type follows custom_name only.
func FunctionNamesFor(f *metadata.Function, nc Naming) FunctionNames {
	base := orDefault(f.Config.CustomName, qualifiedBaseName(f.Info.Name))
	return FunctionNames{
		Select:    orDefault(f.Config.CustomRootFields.Function, nc.Field(base)),
		Aggregate: orDefault(f.Config.CustomRootFields.FunctionAggregate, nc.Field(base+"_aggregate")),
		Args:      nc.Type(base + "_args"),
	}
}

// ComputedFieldArgsName is the input type of a computed field's arguments:
// <computed field>_<table>_args.
func ComputedFieldArgsName(t *metadata.Table, field string, nc Naming) string {
	return nc.Type(field + "_" + tableBaseName(t) + "_args")
}

// EnumTypeName is the GraphQL enum of an enum table: the table's GraphQL
// name (custom_name included) followed by "_enum".
func EnumTypeName(t *metadata.Table, nc Naming) string { return nc.Type(tableBaseName(t) + "_enum") }

// Naming is a source's naming convention (Hasura's naming_convention):
// HasuraDefault keeps the generated names as they are (snake_case);
// GraphQLDefault makes generated type names PascalCase (scalar types keep
// their Postgres names: timestamptz, but TimestamptzComparisonExp), generated field and argument
// names camelCase (operators keep their leading underscore: _isNull) and
// enum values UPPER CASE. Names a user chose (custom_name in a field,
// custom_root_fields, column custom names, relationship and computed field
// names) are kept as written; a table's custom_name is the base the
// generated names are built from.
type Naming struct{ graphqlDefault bool }

// Naming conventions by their metadata names.
const (
	HasuraDefaultConvention  = "hasura-default"
	GraphQLDefaultConvention = "graphql-default"
)

// NamingFor returns the convention named name; anything but
// "graphql-default" is Hasura's default.
func NamingFor(name string) Naming { return Naming{graphqlDefault: name == GraphQLDefaultConvention} }

// Type names a generated type: author_bool_exp → AuthorBoolExp.
func (n Naming) Type(s string) string {
	if !n.graphqlDefault {
		return s
	}
	return pascal(s)
}

// Field names a generated field or argument: author_by_pk → authorByPk.
func (n Naming) Field(s string) string {
	if !n.graphqlDefault || s == "" {
		return s
	}
	p := pascal(s)
	if p == "" {
		return s
	}
	return strings.ToLower(p[:1]) + p[1:]
}

// Op names a comparison operator: _is_null → _isNull.
func (n Naming) Op(s string) string {
	if !n.graphqlDefault {
		return s
	}
	rest, ok := strings.CutPrefix(s, "_")
	if !ok {
		return n.Field(s)
	}
	return "_" + n.Field(rest)
}

// EnumValue names a generated enum value in SCREAMING_SNAKE_CASE:
// desc_nulls_first → DESC_NULLS_FIRST, authorId → AUTHOR_ID, Sunday → SUNDAY.
func (n Naming) EnumValue(s string) string {
	if !n.graphqlDefault {
		return s
	}
	return strings.ToUpper(snake(s))
}

// Word maps a generated argument, input field or enum value name as a
// client writes it back to Hasura's default spelling, which the planner
// switches on: orderBy → order_by, DESC_NULLS_LAST → desc_nulls_last.
func (n Naming) Word(s string) string {
	if !n.graphqlDefault {
		return s
	}
	if strings.ToUpper(s) == s {
		return strings.ToLower(s)
	}
	return snake(s)
}

// snake turns camelCase into snake_case: distinctOn → distinct_on; an
// upper-case letter after a lower-case one or a digit starts a new part.
func snake(s string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range s {
		upper := r >= 'A' && r <= 'Z'
		if upper && prevLower {
			b.WriteByte('_')
		}
		if upper {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
		prevLower = r >= 'a' && r <= 'z' && !upper || r >= '0' && r <= '9'
	}
	return b.String()
}

// pascal joins the parts of a snake_case name, each with its first letter
// upper-cased: author_local_bool_exp → AuthorLocalBoolExp; the inside of a
// part is kept (authorDetails_aggregate → AuthorDetailsAggregate).
func pascal(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(s, "_") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]))
		b.WriteString(part[1:])
	}
	return b.String()
}

// ColumnByEnumValue finds the column a value of the table's select_column
// enum (or of another enum of its columns) names.
func (t *Table) ColumnByEnumValue(v string) *Column {
	if !t.Names.naming.graphqlDefault {
		return t.ColumnByField[v]
	}
	for _, c := range t.Columns {
		if t.Names.naming.EnumValue(c.Field) == v {
			return c
		}
	}
	return nil
}

// EnumValueOf is the value naming column c in the table's column enums.
func (t *Table) EnumValueOf(c *Column) string { return t.Names.naming.EnumValue(c.Field) }
