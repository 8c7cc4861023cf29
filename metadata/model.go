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
}

// Source is one database of the metadata (databases.yaml entry).
type Source struct {
	Name          string          `json:"name" yaml:"name"`
	Kind          string          `json:"kind" yaml:"kind"`
	Configuration json.RawMessage `json:"configuration,omitempty" yaml:"-"`
	Tables        []TableEntry    `json:"tables" yaml:"tables"`
}

// TableName is a table reference. Hasura accepts a bare string (schema
// "public") or {schema, name}.
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
}

// TableConfig is a table's "configuration" block.
type TableConfig struct {
	CustomName       string                  `json:"custom_name,omitempty" yaml:"custom_name,omitempty"`
	CustomRootFields CustomRootFields        `json:"custom_root_fields,omitempty" yaml:"custom_root_fields,omitempty"`
	ColumnConfig     map[string]ColumnConfig `json:"column_config,omitempty" yaml:"column_config,omitempty"`
	// CustomColumnNames is the older form of column_config's custom_name.
	CustomColumnNames map[string]string `json:"custom_column_names,omitempty" yaml:"custom_column_names,omitempty"`
}

// ColumnConfig customizes one column.
type ColumnConfig struct {
	CustomName string `json:"custom_name,omitempty" yaml:"custom_name,omitempty"`
	Comment    string `json:"comment,omitempty" yaml:"comment,omitempty"`
}

// RootField is a custom root field name. Hasura accepts a bare string or
// {name, comment}; Name "" means "not customized".
type RootField struct {
	Name    string `json:"name,omitempty" yaml:"name,omitempty"`
	Comment string `json:"comment,omitempty" yaml:"comment,omitempty"`
}

// CustomRootFields renames a table's root fields.
type CustomRootFields struct {
	Select          RootField `json:"select,omitempty" yaml:"select,omitempty"`
	SelectByPk      RootField `json:"select_by_pk,omitempty" yaml:"select_by_pk,omitempty"`
	SelectAggregate RootField `json:"select_aggregate,omitempty" yaml:"select_aggregate,omitempty"`
	SelectStream    RootField `json:"select_stream,omitempty" yaml:"select_stream,omitempty"`
	Insert          RootField `json:"insert,omitempty" yaml:"insert,omitempty"`
	InsertOne       RootField `json:"insert_one,omitempty" yaml:"insert_one,omitempty"`
	Update          RootField `json:"update,omitempty" yaml:"update,omitempty"`
	UpdateByPk      RootField `json:"update_by_pk,omitempty" yaml:"update_by_pk,omitempty"`
	UpdateMany      RootField `json:"update_many,omitempty" yaml:"update_many,omitempty"`
	Delete          RootField `json:"delete,omitempty" yaml:"delete,omitempty"`
	DeleteByPk      RootField `json:"delete_by_pk,omitempty" yaml:"delete_by_pk,omitempty"`
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
	ColumnMapping  []ColumnPair `json:"column_mapping" yaml:"column_mapping"`
	InsertionOrder string       `json:"insertion_order,omitempty" yaml:"insertion_order,omitempty"`
}

// ColumnPair maps a column of one table to a column of another.
type ColumnPair struct {
	From string
	To   string
}
