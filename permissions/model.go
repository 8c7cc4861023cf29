package permissions

import (
	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/metadata"
)

// AdminRole is the role that bypasses every permission.
const AdminRole = "admin"

// SeesAllTables reports whether a role may read every tracked table without
// row filters or column limits.
func SeesAllTables(role string) bool { return role == AdminRole }

// Set is the compiled permissions of every role of a model.
type Set struct {
	roles map[string]*Role
	// Problems lists the permissions left out because they do not compile.
	Problems []string
}

// Role is the permissions of one role.
type Role struct {
	Name   string
	tables map[catalog.QualifiedName]*Table
}

// Table is a role's permissions on one table; a nil kind is not granted.
type Table struct {
	Select *Select
	Insert *Insert
	Update *Update
	Delete *Delete
}

// Select is a select permission.
type Select struct {
	// Columns are the readable columns; ComputedFields the readable
	// computed fields.
	Columns        ColumnSet
	ComputedFields map[string]bool
	// Filter is the row filter; nil means every row.
	Filter BoolExp
	// CellFilters, of an inherited role, map a column or computed field
	// to the rows in which it shows (the rows of the parent roles that
	// allow it); in other rows its value reads as null. A field not in the
	// map shows in every row.
	CellFilters map[string]BoolExp
	// Limit caps the rows of every read; 0 means no cap.
	Limit             int
	AllowAggregations bool
	// QueryRootFields and SubscriptionRootFields list the root fields of
	// the table the role has ("select", "select_by_pk",
	// "select_aggregate", "select_stream"); nil means all.
	QueryRootFields        []string
	SubscriptionRootFields []string
}

// Insert is an insert permission.
type Insert struct {
	Columns ColumnSet
	// Check must hold for every inserted row; nil means always.
	Check BoolExp
	// Set are the column presets, which the client cannot give.
	Set         []Preset
	BackendOnly bool
}

// Update is an update permission.
type Update struct {
	Columns ColumnSet
	// Filter picks the rows the role may update; Check must hold for them
	// afterwards. nil means every row / always.
	Filter, Check BoolExp
	Set           []Preset
	BackendOnly   bool
}

// Delete is a delete permission.
type Delete struct {
	Filter      BoolExp
	BackendOnly bool
}

// ColumnSet is a set of column names.
type ColumnSet map[string]bool

// Preset is a column value a mutation sets: a literal (its JSON text) or
// a session variable.
type Preset struct {
	Column *catalog.Column
	Value  Operand
}

// Role returns the permissions of a role; a role without any gets an empty
// Role, and the admin role one that allows everything.
func (s *Set) Role(name string) *Role {
	if r, ok := s.roles[name]; ok {
		return r
	}
	return &Role{Name: name}
}

// Defines reports whether a role has at least one permission (and so a
// schema of its own). The admin role always has.
func (s *Set) Defines(name string) bool {
	_, ok := s.roles[name]
	return ok || name == AdminRole
}

// Admin reports whether the role bypasses every permission.
func (r *Role) Admin() bool { return r.Name == AdminRole }

// Table returns the role's permissions on a table, nil when it has none.
// The admin role gets every permission with no filter; its columns are
// nil, which means all.
func (r *Role) Table(t *metadata.Table) *Table {
	if r.Admin() {
		return adminTable
	}
	return r.tables[t.Info.Name]
}

var adminTable = &Table{
	Select: &Select{AllowAggregations: true},
	Insert: &Insert{}, Update: &Update{}, Delete: &Delete{},
}

// Has reports whether the set allows column; a nil set allows every column.
func (c ColumnSet) Has(column string) bool { return c == nil || c[column] }
