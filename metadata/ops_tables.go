package metadata

import (
	"encoding/json"
)

// Table operations: track, untrack, customization, enum flag.

// defaultSourceConfig is the configuration of the source "default" that
// the first track creates: the database of HASURA_GRAPHQL_DATABASE_URL.
const defaultSourceConfig = `{"connection_info":{"database_url":{"from_env":"HASURA_GRAPHQL_DATABASE_URL"}}}`

func newDefaultSource() Source {
	return Source{
		Name:          DefaultSource,
		Kind:          "postgres",
		Tables:        []TableEntry{},
		Configuration: json.RawMessage(defaultSourceConfig),
	}
}

// sourceForTrack returns the source named src, creating "default" when the
// document has none.
func (o *opCtx) sourceForTrack(src string) (*Source, error) {
	if s := o.md.source(src); s != nil {
		return s, nil
	}
	if src != DefaultSource {
		return nil, Errorf(CodeNotExists, "$.args", "source with name %s does not exist", dquote(src))
	}
	o.md.Sources = append(o.md.Sources, newDefaultSource())
	return &o.md.Sources[len(o.md.Sources)-1], nil
}

// trackTableArgs are the arguments of track_table: {table, source,
// is_enum, configuration, …} or, in the legacy form, the table name alone.
type trackTableArgs struct {
	source string
	entry  TableEntry
}

func parseTrackTable(a *value) (trackTableArgs, error) {
	t := trackTableArgs{source: DefaultSource}
	if a.kind != kindObject || a.get("table") == nil {
		n, err := qualifiedName(a)
		t.entry.Table = n
		return t, err
	}
	var err error
	if t.source, err = sourceArg(a); err != nil {
		return t, err
	}
	e := &t.entry
	if e.Table, err = reqName(a, "table"); err != nil {
		return t, err
	}
	if e.IsEnum, err = optBool(a, "is_enum"); err != nil {
		return t, err
	}
	if cv := a.get("configuration"); cv != nil {
		if e.Configuration, err = parseTableConfig(cv); err != nil {
			return t, err
		}
	}
	e.ApolloFederationConfig = rawOf(a.get("apollo_federation_config"))
	if lm, err := optStr(a, "logical_model"); err != nil {
		return t, err
	} else if lm != nil {
		e.LogicalModel = *lm
	}
	return t, nil
}

// parseTableConfig reads a table configuration as Hasura keeps it: the
// legacy custom_column_names folded into column_config (column_config
// wins), nil when empty.
func parseTableConfig(v *value) (*TableConfig, error) {
	var c TableConfig
	if err := c.decode(v); err != nil {
		return nil, decodeErr(err)
	}
	return normalConfig(&c), nil
}

// normalConfig returns c with custom_column_names folded into
// column_config, or nil when c configures nothing. Like Hasura, it still
// writes custom_column_names, derived from column_config's custom names.
func normalConfig(c *TableConfig) *TableConfig {
	if c == nil {
		return nil
	}
	m := mergedConfig(c)
	m.CustomColumnNames = nil
	for col, cc := range m.ColumnConfig {
		if cc.CustomName == "" {
			continue
		}
		if m.CustomColumnNames == nil {
			m.CustomColumnNames = map[string]string{}
		}
		m.CustomColumnNames[col] = cc.CustomName
	}
	if m.CustomName == "" && m.CustomRootFields == (CustomRootFields{}) && len(m.ColumnConfig) == 0 && m.Comment == nil {
		return nil
	}
	return &m
}

func opTrackTable(o *opCtx, a *value) (json.RawMessage, error) {
	t, err := parseTrackTable(a)
	if err != nil {
		return nil, err
	}
	s, err := o.sourceForTrack(t.source)
	if err != nil {
		return nil, err
	}
	n := t.entry.Table
	if s.entry(n) >= 0 {
		return nil, Errorf(CodeAlreadyTracked, "$.args", "view/table already tracked: %s", dquote(tableText(n)))
	}
	if s.function(n) >= 0 {
		return nil, Errorf(CodeNotSupported, "$.args", "function with name %s already exists", dquote(tableText(n)))
	}
	s.Tables = append(s.Tables, t.entry)
	o.touch(s.Name, "table", tableObjectName(n, s.Name))
	return success(), nil
}

func opUntrackTable(o *opCtx, a *value) (json.RawMessage, error) {
	src, n, err := tableArgs(a, "UntrackTable")
	if err != nil {
		return nil, err
	}
	cascade, err := optBool(a, "cascade")
	if err != nil {
		return nil, err
	}
	s := o.md.source(src)
	if s == nil || s.entry(n) < 0 {
		return nil, Errorf(CodeAlreadyUntracked, "$.args", "view/table already untracked: %s", dquote(tableText(n)))
	}
	deps := o.tableDependents(s, n)
	if len(deps) > 0 && !cascade {
		return nil, dependencyError(deps.names(src))
	}
	o.purge(s, deps)
	i := s.entry(n)
	s.Tables = append(s.Tables[:i], s.Tables[i+1:]...)
	o.touch(src, "", "")
	return success(), nil
}

func opSetTableCustomization(o *opCtx, a *value) (json.RawMessage, error) {
	src, n, err := tableArgs(a, "SetTableCustomization")
	if err != nil {
		return nil, err
	}
	cv, err := reqField(a, "configuration")
	if err != nil {
		return nil, err
	}
	cfg, err := parseTableConfig(cv)
	if err != nil {
		return nil, err
	}
	_, e, err := o.trackedTable(src, n)
	if err != nil {
		return nil, err
	}
	e.Configuration = cfg
	o.touch(src, "table", tableObjectName(n, src))
	return success(), nil
}

// opSetTableCustomFields is the legacy set_table_custom_fields: it replaces
// the whole configuration with the given root fields and column names.
func opSetTableCustomFields(o *opCtx, a *value) (json.RawMessage, error) {
	src, n, err := tableArgs(a, "SetTableCustomFields")
	if err != nil {
		return nil, err
	}
	var cfg TableConfig
	if v := a.get("custom_root_fields"); v != nil {
		if err := cfg.CustomRootFields.decode(v); err != nil {
			return nil, decodeErr(err)
		}
	}
	if v := a.get("custom_column_names"); v != nil {
		if err := expectObject(v, "HashMap"); err != nil {
			return nil, err
		}
		cfg.ColumnConfig = make(map[string]ColumnConfig, len(v.fields))
		for _, f := range v.fields {
			name, err := str(f.val)
			if err != nil {
				return nil, err
			}
			cfg.ColumnConfig[f.key] = ColumnConfig{CustomName: name}
		}
	}
	_, e, err := o.trackedTable(src, n)
	if err != nil {
		return nil, err
	}
	e.Configuration = normalConfig(&cfg)
	o.touch(src, "table", tableObjectName(n, src))
	return success(), nil
}

func opSetTableIsEnum(o *opCtx, a *value) (json.RawMessage, error) {
	src, n, err := tableArgs(a, "SetTableIsEnum")
	if err != nil {
		return nil, err
	}
	isEnum, err := reqBool(a, "is_enum")
	if err != nil {
		return nil, err
	}
	_, e, err := o.trackedTable(src, n)
	if err != nil {
		return nil, err
	}
	e.IsEnum = isEnum
	o.touch(src, "table", tableObjectName(n, src))
	return success(), nil
}
