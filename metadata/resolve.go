package metadata

import (
	"encoding/json"
	"strings"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// DefaultSource is the name of the source Resolve prefers.
const DefaultSource = "default"

// Resolve checks the metadata of the source named "default" (or the first
// source when none is) against the catalog and builds the Model. Objects
// that do not match the database are left out and reported as
// inconsistencies, with Hasura's types, names and reasons; they are never
// fatal. A table is left out when it does not exist, is listed twice, or
// its column configuration names a missing column; a relationship when its
// foreign key or columns are missing, its target is not tracked, or its
// name clashes with a column or another relationship; a computed field or
// tracked function when its SQL function does not fit (resolve_functions.go).
// Output follows
// metadata order; inconsistencies of a table come before those of its
// relationships.
func Resolve(md *Metadata, cat *catalog.Catalog) *Model {
	m := &Model{Catalog: cat}
	if md != nil {
		m.InheritedRoles = md.InheritedRoles
	}
	src := pickSource(md)
	if src == nil {
		return m
	}
	r := &resolver{
		source:  src.Name,
		cat:     cat,
		tracked: make(map[catalog.QualifiedName]*Table),
		issues:  make([][]Inconsistency, len(src.Tables)),
	}
	m.NamingConvention = namingConvention(src.Customization)
	owners := r.tables(src.Tables)
	for i, t := range r.order {
		r.relationships(t, &src.Tables[owners[i]], owners[i])
		r.computedFields(t, &src.Tables[owners[i]], owners[i])
	}
	linkEnumReferences(r.order)
	m.Tables = r.order
	for _, is := range r.issues {
		m.Inconsistencies = append(m.Inconsistencies, is...)
	}
	var fnIssues []Inconsistency
	m.Functions, fnIssues = r.functions(src.Functions)
	m.Inconsistencies = append(m.Inconsistencies, fnIssues...)
	return m
}

// pickSource returns the source named DefaultSource, else the first, else nil.
func pickSource(md *Metadata) *Source {
	if md == nil || len(md.Sources) == 0 {
		return nil
	}
	for i := range md.Sources {
		if md.Sources[i].Name == DefaultSource {
			return &md.Sources[i]
		}
	}
	return &md.Sources[0]
}

type resolver struct {
	source  string
	cat     *catalog.Catalog
	tracked map[catalog.QualifiedName]*Table
	// order holds the consistent tables in metadata order.
	order []*Table
	// issues[i] are the inconsistencies found for the i-th table entry.
	issues [][]Inconsistency
}

// tableText is how Hasura writes a table name in messages: without the
// schema when it is "public".
func tableText(n catalog.QualifiedName) string {
	if n.Schema == "public" {
		return n.Name
	}
	return n.Schema + "." + n.Name
}

func dquote(s string) string { return `"` + s + `"` }

const inconsistentPrefix = "Inconsistent object: "

// tables resolves the table entries and returns, for each consistent
// table in r.order, the index of its entry.
func (r *resolver) tables(entries []TableEntry) []int {
	count := make(map[catalog.QualifiedName]int, len(entries))
	for i := range entries {
		count[entries[i].Table]++
	}
	var owners []int
	done := make(map[catalog.QualifiedName]bool, len(entries))
	for i := range entries {
		e := &entries[i]
		if done[e.Table] {
			continue
		}
		done[e.Table] = true
		var t *Table
		reason := "duplication definition for table"
		if count[e.Table] == 1 {
			t, reason = r.table(e)
		}
		if t == nil {
			r.issues[i] = append(r.issues[i], Inconsistency{
				Type:       "table",
				Name:       "table " + tableText(e.Table) + " in source " + r.source,
				Reason:     inconsistentPrefix + reason,
				Definition: e.Table,
			})
			continue
		}
		r.tracked[e.Table] = t
		r.order = append(r.order, t)
		owners = append(owners, i)
	}
	return owners
}

func (r *resolver) lookup(n catalog.QualifiedName) *catalog.Table {
	if r.cat == nil {
		return nil
	}
	return r.cat.Table(n)
}

// table resolves one entry, or says why it cannot.
func (r *resolver) table(e *TableEntry) (*Table, string) {
	ct := r.lookup(e.Table)
	if ct == nil {
		return nil, "no such table/view exists in source: " + dquote(tableText(e.Table))
	}
	cfg := mergedConfig(e.Configuration)
	for _, col := range sortedKeys(cfg.ColumnConfig) {
		if ct.Column(col) == nil {
			return nil, "configuration was given for the column " + dquote(col) + ", but no such column exists"
		}
	}
	if reason := fieldNameClash(ct, &cfg); reason != "" {
		return nil, reason
	}
	t := &Table{Info: ct, IsEnum: e.IsEnum, Config: cfg, Columns: ct.Columns, Permissions: RawPermissions{
		Select: e.SelectPermissions, Insert: e.InsertPermissions, Update: e.UpdatePermissions, Delete: e.DeletePermissions,
	}}
	if e.IsEnum {
		var reason string
		if t.EnumValues, _, reason = resolveEnum(ct, r.cat); reason != "" {
			return nil, reason
		}
	}
	return t, ""
}

// mergedConfig copies c with the legacy custom_column_names folded into
// ColumnConfig; a custom_name of column_config wins, as in Hasura.
func mergedConfig(c *TableConfig) TableConfig {
	if c == nil {
		return TableConfig{}
	}
	out := *c
	out.ColumnConfig = make(map[string]ColumnConfig, len(c.ColumnConfig)+len(c.CustomColumnNames))
	for col, cc := range c.ColumnConfig {
		out.ColumnConfig[col] = cc
	}
	for col, name := range c.CustomColumnNames {
		cc := out.ColumnConfig[col]
		if cc.CustomName == "" {
			cc.CustomName = name
		}
		out.ColumnConfig[col] = cc
	}
	if len(out.ColumnConfig) == 0 {
		out.ColumnConfig = nil
	}
	if c.CustomColumnNames != nil {
		out.CustomColumnNames = make(map[string]string, len(c.CustomColumnNames))
		for col, name := range c.CustomColumnNames {
			out.CustomColumnNames[col] = name
		}
	}
	return out
}

// columnField is the GraphQL field name of a column.
func columnField(cfg *TableConfig, column string) string {
	if cc, ok := cfg.ColumnConfig[column]; ok && cc.CustomName != "" {
		return cc.CustomName
	}
	return column
}

// fieldNameClash reports columns mapped to the same GraphQL field name.
func fieldNameClash(ct *catalog.Table, cfg *TableConfig) string {
	byField := make(map[string][]string, len(ct.Columns))
	var fields []string
	for _, c := range ct.Columns {
		f := columnField(cfg, c.Name)
		if _, ok := byField[f]; !ok {
			fields = append(fields, f)
		}
		byField[f] = append(byField[f], dquote(c.Name))
	}
	for _, f := range fields {
		if cols := byField[f]; len(cols) > 1 {
			return "the definitions of columns " + englishList(cols) +
				" are in conflict: they are mapped to the same field name, " + dquote(f)
		}
	}
	return ""
}

// englishList joins "a" and "b", or "a", "b", and "c".
func englishList(items []string) string {
	switch len(items) {
	case 1:
		return items[0]
	case 2:
		return items[0] + " and " + items[1]
	}
	return strings.Join(items[:len(items)-1], ", ") + ", and " + items[len(items)-1]
}

// namingConvention reads naming_convention from a source's customization.
func namingConvention(customization json.RawMessage) string {
	var c struct {
		NamingConvention string `json:"naming_convention"`
	}
	if len(customization) == 0 || json.Unmarshal(customization, &c) != nil {
		return ""
	}
	return c.NamingConvention
}
