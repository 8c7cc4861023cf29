package metadata

import (
	"encoding/json"

	"gopkg.in/yaml.v3"
)

// The JSON and YAML methods of the metadata types all go through the same
// decoders (decode.go), so both forms accept the same shapes and reject
// the same unknown fields. A null document leaves the receiver unchanged.
// !include is only resolved by LoadDir.

func unmarshalJSON(data []byte, decode func(*value) error) error {
	v, err := parseJSON(data)
	if err != nil {
		return err
	}
	if v.kind == kindNull {
		return nil
	}
	return decode(v)
}

func unmarshalYAML(n *yaml.Node, decode func(*value) error) error {
	v, err := fromYAMLNode(n)
	if err != nil {
		return err
	}
	if v.kind == kindNull {
		return nil
	}
	return decode(v)
}

// UnmarshalJSON implements json.Unmarshaler.
func (m *Metadata) UnmarshalJSON(data []byte) error { return unmarshalJSON(data, m.decode) }

// UnmarshalYAML implements yaml.Unmarshaler.
func (m *Metadata) UnmarshalYAML(n *yaml.Node) error { return unmarshalYAML(n, m.decode) }

// UnmarshalJSON implements json.Unmarshaler.
func (s *Source) UnmarshalJSON(data []byte) error { return unmarshalJSON(data, s.decode) }

// UnmarshalYAML implements yaml.Unmarshaler.
func (s *Source) UnmarshalYAML(n *yaml.Node) error { return unmarshalYAML(n, s.decode) }

// UnmarshalJSON implements json.Unmarshaler.
func (e *TableEntry) UnmarshalJSON(data []byte) error { return unmarshalJSON(data, e.decode) }

// UnmarshalYAML implements yaml.Unmarshaler.
func (e *TableEntry) UnmarshalYAML(n *yaml.Node) error { return unmarshalYAML(n, e.decode) }

// UnmarshalJSON implements json.Unmarshaler.
func (c *TableConfig) UnmarshalJSON(data []byte) error { return unmarshalJSON(data, c.decode) }

// UnmarshalYAML implements yaml.Unmarshaler.
func (c *TableConfig) UnmarshalYAML(n *yaml.Node) error { return unmarshalYAML(n, c.decode) }

// UnmarshalJSON implements json.Unmarshaler.
func (c *ColumnConfig) UnmarshalJSON(data []byte) error { return unmarshalJSON(data, c.decode) }

// UnmarshalYAML implements yaml.Unmarshaler.
func (c *ColumnConfig) UnmarshalYAML(n *yaml.Node) error { return unmarshalYAML(n, c.decode) }

// UnmarshalJSON implements json.Unmarshaler.
func (c *CustomRootFields) UnmarshalJSON(data []byte) error { return unmarshalJSON(data, c.decode) }

// UnmarshalYAML implements yaml.Unmarshaler.
func (c *CustomRootFields) UnmarshalYAML(n *yaml.Node) error { return unmarshalYAML(n, c.decode) }

// UnmarshalJSON implements json.Unmarshaler: a bare name or {name, comment}.
func (r *RootField) UnmarshalJSON(data []byte) error { return unmarshalJSON(data, r.decode) }

// UnmarshalYAML implements yaml.Unmarshaler: a bare name or {name, comment}.
func (r *RootField) UnmarshalYAML(n *yaml.Node) error { return unmarshalYAML(n, r.decode) }

// MarshalJSON writes Hasura's canonical form (see canonical).
func (r RootField) MarshalJSON() ([]byte, error) { return json.Marshal(r.canonical()) }

// UnmarshalJSON implements json.Unmarshaler. Without the relationship's
// kind, the array-relationship check of LoadDir is not made.
func (r *RelationshipEntry) UnmarshalJSON(data []byte) error {
	return unmarshalJSON(data, func(v *value) error { return r.decode(v, false) })
}

// UnmarshalYAML implements yaml.Unmarshaler, like UnmarshalJSON.
func (r *RelationshipEntry) UnmarshalYAML(n *yaml.Node) error {
	return unmarshalYAML(n, func(v *value) error { return r.decode(v, false) })
}

// UnmarshalJSON implements json.Unmarshaler.
func (u *RelationshipUsing) UnmarshalJSON(data []byte) error {
	return unmarshalJSON(data, func(v *value) error { return u.decode(v, false) })
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (u *RelationshipUsing) UnmarshalYAML(n *yaml.Node) error {
	return unmarshalYAML(n, func(v *value) error { return u.decode(v, false) })
}

// UnmarshalJSON implements json.Unmarshaler: a bare column, {column},
// {columns}, {table, column} or {table, columns}.
func (f *ForeignKeyOn) UnmarshalJSON(data []byte) error { return unmarshalJSON(data, f.decode) }

// UnmarshalYAML implements yaml.Unmarshaler, like UnmarshalJSON.
func (f *ForeignKeyOn) UnmarshalYAML(n *yaml.Node) error { return unmarshalYAML(n, f.decode) }

// canonical is the shape a ForeignKeyOn is written in.
func (f ForeignKeyOn) canonical() any {
	if f.Table == nil && len(f.Columns) == 1 {
		return f.Columns[0]
	}
	type form struct {
		Table   *TableName `json:"table,omitempty" yaml:"table,omitempty"`
		Column  string     `json:"column,omitempty" yaml:"column,omitempty"`
		Columns []string   `json:"columns,omitempty" yaml:"columns,omitempty"`
	}
	if len(f.Columns) == 1 {
		return form{Table: f.Table, Column: f.Columns[0]}
	}
	return form{Table: f.Table, Columns: f.Columns}
}

// MarshalJSON writes Hasura's canonical form: a bare column for a single
// column of this table, else {column} or {columns}, with table when set.
func (f ForeignKeyOn) MarshalJSON() ([]byte, error) { return json.Marshal(f.canonical()) }

// MarshalYAML writes the same shape as MarshalJSON.
func (f ForeignKeyOn) MarshalYAML() (any, error) { return f.canonical(), nil }

// UnmarshalJSON implements json.Unmarshaler, keeping column_mapping's order.
func (m *ManualConfig) UnmarshalJSON(data []byte) error { return unmarshalJSON(data, m.decode) }

// UnmarshalYAML implements yaml.Unmarshaler, keeping column_mapping's order.
func (m *ManualConfig) UnmarshalYAML(n *yaml.Node) error { return unmarshalYAML(n, m.decode) }

// columnMapping is column_mapping as a value tree, in order.
func (m ManualConfig) columnMapping() *value {
	v := &value{kind: kindObject}
	for _, p := range m.ColumnMapping {
		v.fields = append(v.fields, field{key: p.From, val: &value{kind: kindString, text: p.To}})
	}
	return v
}

// MarshalJSON writes column_mapping as an object in ColumnMapping's order.
func (m ManualConfig) MarshalJSON() ([]byte, error) {
	type form struct {
		RemoteTable    TableName       `json:"remote_table"`
		ColumnMapping  json.RawMessage `json:"column_mapping"`
		InsertionOrder string          `json:"insertion_order,omitempty"`
	}
	return json.Marshal(form{m.RemoteTable, m.columnMapping().json(), m.InsertionOrder})
}

// MarshalYAML writes the same shape as MarshalJSON.
func (m ManualConfig) MarshalYAML() (any, error) {
	mapping := &yaml.Node{Kind: yaml.MappingNode}
	for _, p := range m.ColumnMapping {
		mapping.Content = append(mapping.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: p.From},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: p.To})
	}
	type form struct {
		RemoteTable    TableName  `yaml:"remote_table"`
		ColumnMapping  *yaml.Node `yaml:"column_mapping"`
		InsertionOrder string     `yaml:"insertion_order,omitempty"`
	}
	return form{m.RemoteTable, mapping, m.InsertionOrder}, nil
}

// MarshalYAML writes Hasura's canonical form (see canonical).
func (r RootField) MarshalYAML() (any, error) { return r.canonical(), nil }

// canonical is Hasura's form of a root field: the bare name when there is
// no comment (null when not customized), else {name, comment} with a null
// name when not customized.
func (r RootField) canonical() any {
	var name *string
	if r.Name != "" {
		name = &r.Name
	}
	if r.Comment == nil {
		return name
	}
	type form struct {
		Name    *string `json:"name" yaml:"name"`
		Comment string  `json:"comment" yaml:"comment"`
	}
	return form{name, *r.Comment}
}
