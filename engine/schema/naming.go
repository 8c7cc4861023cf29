package schema

import (
	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/metadata"
)

// Root type names.
const (
	QueryRoot        = "query_root"
	MutationRoot     = "mutation_root"
	SubscriptionRoot = "subscription_root"
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
}

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
func NamesFor(t *metadata.Table) TypeNames {
	base := tableBaseName(t)
	n := TypeNames{
		Object:          base,
		BoolExp:         base + "_bool_exp",
		OrderBy:         base + "_order_by",
		SelectColumn:    base + "_select_column",
		Aggregate:       base + "_aggregate",
		AggregateFields: base + "_aggregate_fields",
		AggregateOp:     make(map[string]string, len(aggregateOps)),
		Select:          orDefault(t.Config.CustomRootFields.Select.Name, base),
		SelectByPk:      orDefault(t.Config.CustomRootFields.SelectByPk.Name, base+"_by_pk"),
		SelectAggregate: orDefault(t.Config.CustomRootFields.SelectAggregate.Name, base+"_aggregate"),
	}
	for _, op := range aggregateOps {
		n.AggregateOp[op.name] = base + "_" + op.name + "_fields"
	}
	return n
}

// ColumnFieldName is the GraphQL field name of a column: its configured
// custom name, else the column name.
func ColumnFieldName(t *metadata.Table, column string) string {
	if cc, ok := t.Config.ColumnConfig[column]; ok && cc.CustomName != "" {
		return cc.CustomName
	}
	if n, ok := t.Config.CustomColumnNames[column]; ok && n != "" {
		return n
	}
	return column
}

// ComparisonExpName is the name of a scalar's comparison input type.
func ComparisonExpName(scalar string) string { return scalar + "_comparison_exp" }

// RelAggregateFieldName is the aggregate field of an array relationship.
func RelAggregateFieldName(rel string) string { return rel + "_aggregate" }

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
func FunctionNamesFor(f *metadata.Function) FunctionNames {
	base := orDefault(f.Config.CustomName, qualifiedBaseName(f.Info.Name))
	return FunctionNames{
		Select:    orDefault(f.Config.CustomRootFields.Function, base),
		Aggregate: orDefault(f.Config.CustomRootFields.FunctionAggregate, base+"_aggregate"),
		Args:      base + "_args",
	}
}

// ComputedFieldArgsName is the input type of a computed field's arguments:
// <computed field>_<table>_args.
func ComputedFieldArgsName(t *metadata.Table, field string) string {
	return field + "_" + tableBaseName(t) + "_args"
}

// EnumTypeName is the GraphQL enum of an enum table: the table's GraphQL
// name (custom_name included) followed by "_enum".
func EnumTypeName(t *metadata.Table) string { return tableBaseName(t) + "_enum" }
