package metadata

import (
	"encoding/json"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// Metadata is Hasura's metadata document (version 3), as read from a
// metadata directory or stored in hdb_catalog.
type Metadata struct {
	Version int      `json:"version" yaml:"version"`
	Sources []Source `json:"sources" yaml:"sources"`

	// The rest of Hasura's metadata is kept as read (JSON; nil when absent
	// or empty) until a package gives it meaning. In a metadata directory
	// each comes from its own file (remote_schemas.yaml, actions.yaml, …).
	RemoteSchemas              json.RawMessage `json:"remote_schemas,omitempty" yaml:"-"`
	QueryCollections           json.RawMessage `json:"query_collections,omitempty" yaml:"-"`
	AllowList                  json.RawMessage `json:"allowlist,omitempty" yaml:"-"`
	Actions                    json.RawMessage `json:"actions,omitempty" yaml:"-"`
	CustomTypes                json.RawMessage `json:"custom_types,omitempty" yaml:"-"`
	CronTriggers               json.RawMessage `json:"cron_triggers,omitempty" yaml:"-"`
	RESTEndpoints              json.RawMessage `json:"rest_endpoints,omitempty" yaml:"-"`
	APILimits                  json.RawMessage `json:"api_limits,omitempty" yaml:"-"`
	MetricsConfig              json.RawMessage `json:"metrics_config,omitempty" yaml:"-"`
	InheritedRoles             json.RawMessage `json:"inherited_roles,omitempty" yaml:"-"`
	GraphQLSchemaIntrospection json.RawMessage `json:"graphql_schema_introspection,omitempty" yaml:"-"`
	Network                    json.RawMessage `json:"network,omitempty" yaml:"-"`
	BackendConfigs             json.RawMessage `json:"backend_configs,omitempty" yaml:"-"`
	OpenTelemetry              json.RawMessage `json:"opentelemetry,omitempty" yaml:"-"`

	// ActionsGraphQL is the text of a metadata directory's actions.graphql:
	// the SDL of action signatures and custom types, which the Hasura CLI
	// merges into Actions and CustomTypes. It is not part of the JSON form.
	ActionsGraphQL string `json:"-" yaml:"-"`
}

// Source is one database of the metadata (databases.yaml entry).
type Source struct {
	Name          string          `json:"name" yaml:"name"`
	Kind          string          `json:"kind" yaml:"kind"`
	Configuration json.RawMessage `json:"configuration,omitempty" yaml:"-"`
	Tables        []TableEntry    `json:"tables" yaml:"tables"`

	// Kept as read until a package gives them meaning.
	Functions        []json.RawMessage `json:"functions,omitempty" yaml:"-"`
	NativeQueries    []json.RawMessage `json:"native_queries,omitempty" yaml:"-"`
	LogicalModels    []json.RawMessage `json:"logical_models,omitempty" yaml:"-"`
	StoredProcedures []json.RawMessage `json:"stored_procedures,omitempty" yaml:"-"`
	QueryTags        json.RawMessage   `json:"query_tags,omitempty" yaml:"-"`
	Customization    json.RawMessage   `json:"customization,omitempty" yaml:"-"`
	HealthCheck      json.RawMessage   `json:"health_check,omitempty" yaml:"-"`
}

// TableName is a table reference. Hasura accepts a bare string (schema
// "public") or {schema, name} (schema optional). Being an alias of
// catalog.QualifiedName, it has no methods of its own: the types that hold
// a TableName decode both forms, and it is always written as an object.
type TableName = catalog.QualifiedName

// TableEntry is the metadata of one tracked table.
type TableEntry struct {
	Table               TableName           `json:"table" yaml:"table"`
	IsEnum              bool                `json:"is_enum,omitempty" yaml:"is_enum,omitempty"`
	Configuration       *TableConfig        `json:"configuration,omitempty" yaml:"configuration,omitempty"`
	ObjectRelationships []RelationshipEntry `json:"object_relationships,omitempty" yaml:"object_relationships,omitempty"`
	ArrayRelationships  []RelationshipEntry `json:"array_relationships,omitempty" yaml:"array_relationships,omitempty"`
	// Permissions are kept as read until their issue gives them meaning.
	SelectPermissions []json.RawMessage `json:"select_permissions,omitempty" yaml:"-"`
	InsertPermissions []json.RawMessage `json:"insert_permissions,omitempty" yaml:"-"`
	UpdatePermissions []json.RawMessage `json:"update_permissions,omitempty" yaml:"-"`
	DeletePermissions []json.RawMessage `json:"delete_permissions,omitempty" yaml:"-"`
	// Other table metadata Hasura knows, kept as read.
	ComputedFields         []json.RawMessage `json:"computed_fields,omitempty" yaml:"-"`
	RemoteRelationships    []json.RawMessage `json:"remote_relationships,omitempty" yaml:"-"`
	EventTriggers          []json.RawMessage `json:"event_triggers,omitempty" yaml:"-"`
	ApolloFederationConfig json.RawMessage   `json:"apollo_federation_config,omitempty" yaml:"-"`
	LogicalModel           string            `json:"logical_model,omitempty" yaml:"logical_model,omitempty"`
}

// TableConfig is a table's "configuration" block.
type TableConfig struct {
	CustomName       string                  `json:"custom_name,omitempty" yaml:"custom_name,omitempty"`
	CustomRootFields CustomRootFields        `json:"custom_root_fields,omitzero" yaml:"custom_root_fields,omitempty"`
	ColumnConfig     map[string]ColumnConfig `json:"column_config,omitempty" yaml:"column_config,omitempty"`
	// CustomColumnNames is the older form of column_config's custom_name.
	CustomColumnNames map[string]string `json:"custom_column_names,omitempty" yaml:"custom_column_names,omitempty"`
	// Comment replaces the table's description; nil keeps the database's.
	Comment *string `json:"comment,omitempty" yaml:"comment,omitempty"`
}

// ColumnConfig customizes one column.
type ColumnConfig struct {
	CustomName string `json:"custom_name,omitempty" yaml:"custom_name,omitempty"`
	// Comment replaces the column's description ("" removes it); nil
	// keeps the database's.
	Comment *string `json:"comment,omitempty" yaml:"comment,omitempty"`
}

// RootField is a custom root field name. Hasura accepts a bare string or
// {name, comment}; Name "" means "not customized".
type RootField struct {
	Name string
	// Comment replaces the field's generated description ("" removes
	// it); nil keeps the generated one.
	Comment *string
}

// CustomRootFields renames a table's root fields.
type CustomRootFields struct {
	Select          RootField `json:"select,omitzero" yaml:"select,omitempty"`
	SelectByPk      RootField `json:"select_by_pk,omitzero" yaml:"select_by_pk,omitempty"`
	SelectAggregate RootField `json:"select_aggregate,omitzero" yaml:"select_aggregate,omitempty"`
	SelectStream    RootField `json:"select_stream,omitzero" yaml:"select_stream,omitempty"`
	Insert          RootField `json:"insert,omitzero" yaml:"insert,omitempty"`
	InsertOne       RootField `json:"insert_one,omitzero" yaml:"insert_one,omitempty"`
	Update          RootField `json:"update,omitzero" yaml:"update,omitempty"`
	UpdateByPk      RootField `json:"update_by_pk,omitzero" yaml:"update_by_pk,omitempty"`
	UpdateMany      RootField `json:"update_many,omitzero" yaml:"update_many,omitempty"`
	Delete          RootField `json:"delete,omitzero" yaml:"delete,omitempty"`
	DeleteByPk      RootField `json:"delete_by_pk,omitzero" yaml:"delete_by_pk,omitempty"`
}

// RelationshipEntry is an object or array relationship as written in metadata.
type RelationshipEntry struct {
	Name    string            `json:"name" yaml:"name"`
	Using   RelationshipUsing `json:"using" yaml:"using"`
	Comment string            `json:"comment,omitempty" yaml:"comment,omitempty"`
}

// RelationshipUsing says how a relationship joins: exactly one field is set.
type RelationshipUsing struct {
	ForeignKeyConstraintOn *ForeignKeyOn `json:"foreign_key_constraint_on,omitempty" yaml:"foreign_key_constraint_on,omitempty"`
	ManualConfiguration    *ManualConfig `json:"manual_configuration,omitempty" yaml:"manual_configuration,omitempty"`
}

// ForeignKeyOn names the foreign key a relationship follows. For an object
// relationship from the referencing table: Columns (a bare string or
// {column} or {columns}) and Table empty. For an array relationship, or an
// object relationship to a referencing table: Table and Columns of the
// referencing side.
type ForeignKeyOn struct {
	Table   *TableName `json:"table,omitempty" yaml:"table,omitempty"`
	Columns []string   `json:"columns,omitempty" yaml:"columns,omitempty"`
}

// ManualConfig is a relationship defined by a column mapping.
type ManualConfig struct {
	RemoteTable TableName `json:"remote_table" yaml:"remote_table"`
	// ColumnMapping maps this table's columns to the remote table's, in the
	// order written.
	ColumnMapping []ColumnPair `json:"column_mapping" yaml:"column_mapping"`
	// InsertionOrder is InsertBeforeParent, InsertAfterParent or "".
	InsertionOrder string `json:"insertion_order,omitempty" yaml:"insertion_order,omitempty"`
}

// Insertion orders of a manual object relationship: whether a nested insert
// writes the related row before or after the parent row.
const (
	InsertBeforeParent = "before_parent"
	InsertAfterParent  = "after_parent"
)

// ColumnPair maps a column of one table to a column of another.
type ColumnPair struct {
	From string
	To   string
}
