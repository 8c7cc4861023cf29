package metadata

import (
	"encoding/json"
	"sort"
	"strconv"
)

// This file decodes value trees (from YAML or JSON) into the metadata model.
// Every object rejects keys it does not know, as Hasura does; a null field
// counts as absent.

// handlers maps the keys an object may have to their decoders.
type handlers map[string]func(*value) error

// object decodes v, which must be an object, field by field. what names the
// structure in messages ("table", "relationship").
func (v *value) object(what string, h handlers) error {
	if err := v.expectObject(what); err != nil {
		return err
	}
	for _, f := range v.fields {
		fn, ok := h[f.key]
		if !ok {
			return v.unknownField(f, h)
		}
		if f.val.kind == kindNull {
			continue
		}
		if err := fn(f.val); err != nil {
			return err
		}
	}
	return nil
}

func (v *value) expectObject(what string) error {
	if v.kind != kindObject {
		return v.errorf("expected an object (%s), got %s", what, v.kind)
	}
	return nil
}

func (v *value) unknownField(f field, h handlers) error {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	if c := closest(f.key, keys); c != "" {
		return v.fieldErrorf(f, "unknown field %q (did you mean %q?)", f.key, c)
	}
	return v.fieldErrorf(f, "unknown field %q", f.key)
}

// get returns the non-null field key of the object v, or nil.
func (v *value) get(key string) *value {
	for _, f := range v.fields {
		if f.key == key && f.val.kind != kindNull {
			return f.val
		}
	}
	return nil
}

// require reports the first of keys the object v lacks.
func (v *value) require(keys ...string) error {
	for _, k := range keys {
		if v.get(k) == nil {
			return v.errorf("missing field %q", k)
		}
	}
	return nil
}

func (v *value) str() (string, error) {
	if v.kind != kindString {
		return "", v.errorf("expected a string, got %s", v.kind)
	}
	return v.text, nil
}

func (v *value) boolean() (bool, error) {
	if v.kind != kindBool {
		return false, v.errorf("expected a boolean, got %s", v.kind)
	}
	return v.text == "true", nil
}

func (v *value) integer() (int, error) {
	if v.kind == kindNumber {
		if n, err := strconv.Atoi(v.text); err == nil {
			return n, nil
		}
	}
	return 0, v.errorf("expected an integer, got %s", v.kind)
}

func (v *value) items() ([]*value, error) {
	if v.kind != kindList {
		return nil, v.errorf("expected a list, got %s", v.kind)
	}
	return v.list, nil
}

func (v *value) strList() ([]string, error) {
	items, err := v.items()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(items))
	for i, it := range items {
		if out[i], err = it.str(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// rawList keeps each item of the list v as JSON.
func (v *value) rawList() ([]json.RawMessage, error) {
	items, err := v.items()
	if err != nil {
		return nil, err
	}
	out := make([]json.RawMessage, len(items))
	for i, it := range items {
		out[i] = it.json()
	}
	return out, nil
}

// setStr, setBool, setRaw and setRawList make handlers that store a field.
func setStr(dst *string) func(*value) error {
	return func(v *value) (err error) { *dst, err = v.str(); return err }
}

// setOptStr stores a string that may be absent: a null field never
// reaches it, so dst stays nil.
func setOptStr(dst **string) func(*value) error {
	return func(v *value) error {
		s, err := v.str()
		*dst = &s
		return err
	}
}

func setBool(dst *bool) func(*value) error {
	return func(v *value) (err error) { *dst, err = v.boolean(); return err }
}

func setRaw(dst *json.RawMessage) func(*value) error {
	return func(v *value) error { *dst = v.json(); return nil }
}

func setRawList(dst *[]json.RawMessage) func(*value) error {
	return func(v *value) (err error) { *dst, err = v.rawList(); return err }
}

// metadataRawFields are the top-level metadata kept as JSON, with the file
// of a metadata directory that holds each ("" for actions.yaml's keys).
var metadataRawFields = []struct {
	key, file string
	get       func(*Metadata) *json.RawMessage
}{
	{"remote_schemas", "remote_schemas.yaml", func(m *Metadata) *json.RawMessage { return &m.RemoteSchemas }},
	{"query_collections", "query_collections.yaml", func(m *Metadata) *json.RawMessage { return &m.QueryCollections }},
	{"allowlist", "allow_list.yaml", func(m *Metadata) *json.RawMessage { return &m.AllowList }},
	{"actions", "", func(m *Metadata) *json.RawMessage { return &m.Actions }},
	{"custom_types", "", func(m *Metadata) *json.RawMessage { return &m.CustomTypes }},
	{"cron_triggers", "cron_triggers.yaml", func(m *Metadata) *json.RawMessage { return &m.CronTriggers }},
	{"rest_endpoints", "rest_endpoints.yaml", func(m *Metadata) *json.RawMessage { return &m.RESTEndpoints }},
	{"api_limits", "api_limits.yaml", func(m *Metadata) *json.RawMessage { return &m.APILimits }},
	{"metrics_config", "metrics_config.yaml", func(m *Metadata) *json.RawMessage { return &m.MetricsConfig }},
	{"inherited_roles", "inherited_roles.yaml", func(m *Metadata) *json.RawMessage { return &m.InheritedRoles }},
	{"graphql_schema_introspection", "graphql_schema_introspection.yaml", func(m *Metadata) *json.RawMessage { return &m.GraphQLSchemaIntrospection }},
	{"network", "network.yaml", func(m *Metadata) *json.RawMessage { return &m.Network }},
	{"backend_configs", "backend_configs.yaml", func(m *Metadata) *json.RawMessage { return &m.BackendConfigs }},
	{"opentelemetry", "opentelemetry.yaml", func(m *Metadata) *json.RawMessage { return &m.OpenTelemetry }},
}

// emptyRaw is nil for a null, an empty list or an empty object, else v as JSON.
func emptyRaw(v *value) json.RawMessage {
	if v == nil || v.kind == kindNull ||
		(v.kind == kindList && len(v.list) == 0) || (v.kind == kindObject && len(v.fields) == 0) {
		return nil
	}
	return v.json()
}

func (m *Metadata) decode(v *value) error {
	*m = Metadata{}
	h := handlers{
		"version": func(v *value) (err error) { m.Version, err = v.integer(); return err },
		"sources": func(v *value) (err error) { m.Sources, err = decodeSources(v); return err },
	}
	for _, rf := range metadataRawFields {
		dst := rf.get(m)
		h[rf.key] = func(v *value) error { *dst = emptyRaw(v); return nil }
	}
	return v.object("metadata", h)
}

func decodeSources(v *value) ([]Source, error) {
	items, err := v.items()
	if err != nil {
		return nil, err
	}
	out := make([]Source, len(items))
	for i, it := range items {
		if err := out[i].decode(it); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Source) decode(v *value) error {
	*s = Source{}
	err := v.object("source", handlers{
		"name":          setStr(&s.Name),
		"kind":          setStr(&s.Kind),
		"configuration": setRaw(&s.Configuration),
		"tables": func(v *value) error {
			items, err := v.items()
			if err != nil {
				return err
			}
			s.Tables = make([]TableEntry, len(items))
			for i, it := range items {
				if err := s.Tables[i].decode(it); err != nil {
					return err
				}
			}
			return nil
		},
		"functions":         setRawList(&s.Functions),
		"native_queries":    setRawList(&s.NativeQueries),
		"logical_models":    setRawList(&s.LogicalModels),
		"stored_procedures": setRawList(&s.StoredProcedures),
		"query_tags":        setRaw(&s.QueryTags),
		"customization":     setRaw(&s.Customization),
		"health_check":      setRaw(&s.HealthCheck),
	})
	if err != nil {
		return err
	}
	return v.require("name", "kind")
}

func (e *TableEntry) decode(v *value) error {
	*e = TableEntry{}
	rels := func(dst *[]RelationshipEntry, array bool) func(*value) error {
		return func(v *value) error {
			items, err := v.items()
			if err != nil {
				return err
			}
			*dst = make([]RelationshipEntry, len(items))
			for i, it := range items {
				if err := (*dst)[i].decode(it, array); err != nil {
					return err
				}
			}
			return nil
		}
	}
	err := v.object("table", handlers{
		"table":   func(v *value) (err error) { e.Table, err = decodeTableName(v); return err },
		"is_enum": setBool(&e.IsEnum),
		"configuration": func(v *value) error {
			e.Configuration = new(TableConfig)
			return e.Configuration.decode(v)
		},
		"object_relationships":     rels(&e.ObjectRelationships, false),
		"array_relationships":      rels(&e.ArrayRelationships, true),
		"select_permissions":       setRawList(&e.SelectPermissions),
		"insert_permissions":       setRawList(&e.InsertPermissions),
		"update_permissions":       setRawList(&e.UpdatePermissions),
		"delete_permissions":       setRawList(&e.DeletePermissions),
		"computed_fields":          setRawList(&e.ComputedFields),
		"remote_relationships":     setRawList(&e.RemoteRelationships),
		"event_triggers":           setRawList(&e.EventTriggers),
		"apollo_federation_config": setRaw(&e.ApolloFederationConfig),
		"logical_model":            setStr(&e.LogicalModel),
	})
	if err != nil {
		return err
	}
	return v.require("table")
}

// decodeTableName reads a bare name (schema "public") or {schema, name}.
func decodeTableName(v *value) (TableName, error) {
	n := TableName{Schema: "public"}
	switch v.kind {
	case kindString:
		n.Name = v.text
	case kindObject:
		err := v.object("table name", handlers{
			"schema": setStr(&n.Schema),
			"name":   setStr(&n.Name),
		})
		if err != nil {
			return n, err
		}
		if err := v.require("name"); err != nil {
			return n, err
		}
	default:
		return n, v.errorf("expected a table name (a string or {schema, name}), got %s", v.kind)
	}
	if n.Name == "" || n.Schema == "" {
		return n, v.errorf("table name must not be empty")
	}
	return n, nil
}

func (c *TableConfig) decode(v *value) error {
	*c = TableConfig{}
	return v.object("table configuration", handlers{
		"custom_name":        setStr(&c.CustomName),
		"custom_root_fields": c.CustomRootFields.decode,
		"column_config": func(v *value) error {
			if err := v.expectObject("column_config"); err != nil {
				return err
			}
			c.ColumnConfig = make(map[string]ColumnConfig, len(v.fields))
			for _, f := range v.fields {
				var cc ColumnConfig
				if f.val.kind != kindNull {
					if err := cc.decode(f.val); err != nil {
						return err
					}
				}
				c.ColumnConfig[f.key] = cc
			}
			return nil
		},
		"custom_column_names": func(v *value) error {
			if err := v.expectObject("custom_column_names"); err != nil {
				return err
			}
			c.CustomColumnNames = make(map[string]string, len(v.fields))
			for _, f := range v.fields {
				s, err := f.val.str()
				if err != nil {
					return err
				}
				c.CustomColumnNames[f.key] = s
			}
			return nil
		},
		"comment": setOptStr(&c.Comment),
	})
}

func (c *ColumnConfig) decode(v *value) error {
	*c = ColumnConfig{}
	return v.object("column configuration", handlers{
		"custom_name": setStr(&c.CustomName),
		"comment":     setOptStr(&c.Comment),
	})
}

func (r *RootField) decode(v *value) error {
	*r = RootField{}
	if v.kind == kindString {
		r.Name = v.text
		return nil
	}
	if v.kind != kindObject {
		return v.errorf("expected a root field name (a string or {name, comment}), got %s", v.kind)
	}
	return v.object("root field", handlers{
		"name":    setStr(&r.Name),
		"comment": setOptStr(&r.Comment),
	})
}

func (c *CustomRootFields) decode(v *value) error {
	*c = CustomRootFields{}
	return v.object("custom_root_fields", handlers{
		"select":           c.Select.decode,
		"select_by_pk":     c.SelectByPk.decode,
		"select_aggregate": c.SelectAggregate.decode,
		"select_stream":    c.SelectStream.decode,
		"insert":           c.Insert.decode,
		"insert_one":       c.InsertOne.decode,
		"update":           c.Update.decode,
		"update_by_pk":     c.UpdateByPk.decode,
		"update_many":      c.UpdateMany.decode,
		"delete":           c.Delete.decode,
		"delete_by_pk":     c.DeleteByPk.decode,
	})
}

// decode reads a relationship; array relationships must name the
// referencing table in foreign_key_constraint_on.
func (r *RelationshipEntry) decode(v *value, array bool) error {
	*r = RelationshipEntry{}
	err := v.object("relationship", handlers{
		"name":    setStr(&r.Name),
		"comment": setStr(&r.Comment),
		"using":   func(v *value) error { return r.Using.decode(v, array) },
	})
	if err != nil {
		return err
	}
	return v.require("name", "using")
}

func (u *RelationshipUsing) decode(v *value, array bool) error {
	*u = RelationshipUsing{}
	err := v.object("relationship using", handlers{
		"foreign_key_constraint_on": func(v *value) error {
			u.ForeignKeyConstraintOn = new(ForeignKeyOn)
			if err := u.ForeignKeyConstraintOn.decode(v); err != nil {
				return err
			}
			if array && u.ForeignKeyConstraintOn.Table == nil {
				return v.errorf("an array relationship's foreign_key_constraint_on must be {table, column} or {table, columns}")
			}
			return nil
		},
		"manual_configuration": func(v *value) error {
			u.ManualConfiguration = new(ManualConfig)
			return u.ManualConfiguration.decode(v)
		},
	})
	if err != nil {
		return err
	}
	if (u.ForeignKeyConstraintOn == nil) == (u.ManualConfiguration == nil) {
		return v.errorf("exactly one of foreign_key_constraint_on and manual_configuration is expected")
	}
	return nil
}

func (f *ForeignKeyOn) decode(v *value) error {
	*f = ForeignKeyOn{}
	switch v.kind {
	case kindString:
		f.Columns = []string{v.text}
		return nil
	case kindList: // several columns of a multi-column key
		var err error
		f.Columns, err = v.strList()
		return err
	case kindObject:
	default:
		return v.errorf("expected a column name, a list of them, {column}, {columns} or {table, column(s)}, got %s", v.kind)
	}
	var col *string
	err := v.object("foreign_key_constraint_on", handlers{
		"table": func(v *value) error {
			t, err := decodeTableName(v)
			f.Table = &t
			return err
		},
		"column": func(v *value) (err error) {
			col = new(string)
			*col, err = v.str()
			return err
		},
		"columns": func(v *value) (err error) {
			if v.kind == kindString { // Hasura takes a single column here too
				f.Columns = []string{v.text}
				return nil
			}
			f.Columns, err = v.strList()
			return err
		},
	})
	if err != nil {
		return err
	}
	switch {
	case col != nil && f.Columns != nil:
		return v.errorf(`"column" and "columns" are mutually exclusive`)
	case col != nil:
		f.Columns = []string{*col}
	case f.Columns == nil:
		return v.errorf(`missing field "column" or "columns"`)
	case len(f.Columns) == 0:
		return v.errorf(`"columns" must not be empty`)
	}
	return nil
}

func (m *ManualConfig) decode(v *value) error {
	*m = ManualConfig{}
	err := v.object("manual_configuration", handlers{
		"remote_table":   func(v *value) (err error) { m.RemoteTable, err = decodeTableName(v); return err },
		"column_mapping": func(v *value) (err error) { m.ColumnMapping, err = decodeColumnMapping(v); return err },
		"insertion_order": func(v *value) error {
			s, err := v.str()
			if err == nil && s != InsertBeforeParent && s != InsertAfterParent {
				err = v.errorf("insertion_order must be %q or %q, got %q", InsertBeforeParent, InsertAfterParent, s)
			}
			m.InsertionOrder = s
			return err
		},
	})
	if err != nil {
		return err
	}
	return v.require("remote_table", "column_mapping")
}

// decodeColumnMapping reads {from: to, …} keeping the written order.
func decodeColumnMapping(v *value) ([]ColumnPair, error) {
	if err := v.expectObject("column_mapping"); err != nil {
		return nil, err
	}
	if len(v.fields) == 0 {
		return nil, v.errorf("column_mapping must not be empty")
	}
	out := make([]ColumnPair, len(v.fields))
	for i, f := range v.fields {
		to, err := f.val.str()
		if err != nil {
			return nil, err
		}
		out[i] = ColumnPair{From: f.key, To: to}
	}
	return out, nil
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
