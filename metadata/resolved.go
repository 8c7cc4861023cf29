package metadata

import (
	"encoding/json"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// Model is metadata checked against the database catalog: every table,
// column and relationship in it exists. Objects that did not check out are
// left out and listed in Inconsistencies. A Model is immutable.
type Model struct {
	Catalog *catalog.Catalog
	// Tables are the consistent tracked tables of the default source, in
	// metadata order.
	Tables []*Table
	// Functions are the consistent tracked functions of the default
	// source, in metadata order.
	Functions       []*Function
	Inconsistencies []Inconsistency
	// InheritedRoles is the metadata's inherited_roles as written
	// ([{role_name, role_set}]); nil when there are none.
	InheritedRoles json.RawMessage
	// NamingConvention is the source's customization.naming_convention
	// ("hasura-default", "graphql-default"), "" when it sets none.
	NamingConvention string
}

// Table is a tracked table resolved against the catalog.
type Table struct {
	Info   *catalog.Table
	IsEnum bool
	// Config is the table's configuration, with the legacy
	// custom_column_names folded into ColumnConfig (column_config wins).
	Config TableConfig
	// Columns are the table's columns, in catalog order.
	Columns []*catalog.Column
	// ObjectRelationships and ArrayRelationships are in metadata order.
	ObjectRelationships []*Relationship
	ArrayRelationships  []*Relationship
	// ComputedFields are in metadata order.
	ComputedFields []*ComputedField
	// EnumValues are an enum table's values sorted by name; nil for other
	// tables and for an enum table whose rows have not been read.
	EnumValues []catalog.EnumRow
	// EnumRefs maps the columns that reference an enum table (with
	// values) to that table.
	EnumRefs map[string]*Table
	// Permissions are the table's permission entries as written
	// ({role, permission, comment}); package permissions compiles them.
	Permissions RawPermissions
}

// RawPermissions are a table's permission entries by kind, as written.
type RawPermissions struct {
	Select, Insert, Update, Delete []json.RawMessage
}

// RelKind tells object from array relationships.
type RelKind int

// Relationship kinds.
const (
	ObjectRel RelKind = iota
	ArrayRel
)

// Relationship is a relationship whose target and columns exist.
type Relationship struct {
	Name    string
	Kind    RelKind
	Comment string
	Target  *Table
	// Mapping pairs a column of the owning table (From) with a column of
	// Target (To); the join condition is the conjunction of the pairs.
	Mapping []ColumnPair
	// Manual is true for a manual_configuration relationship, false for one
	// that follows a foreign key.
	Manual bool
	// InsertOrder says whether a nested insert writes Target's row before
	// the owner's (InsertBeforeParent: the owner references it) or after
	// (InsertAfterParent: it references the owner).
	InsertOrder string
}

// Inconsistency is an object of the metadata that does not match the
// database, in the shape of Hasura's get_inconsistent_metadata.
type Inconsistency struct {
	Type       string `json:"type"` // "table", "object_relation", "array_relation", …
	Name       string `json:"name"`
	Reason     string `json:"reason"`
	Definition any    `json:"definition"`
}

// Table returns the tracked table with the given name, or nil.
func (m *Model) Table(n catalog.QualifiedName) *Table {
	for _, t := range m.Tables {
		if t.Info.Name == n {
			return t
		}
	}
	return nil
}
