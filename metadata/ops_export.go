package metadata

import (
	"bytes"
	"encoding/json"
	"sort"
)

// export_metadata and replace_metadata: the document as Hasura writes it
// and the forms of document Hasura accepts.

// exportDoc is a document in Hasura's export order.
type exportDoc struct {
	Version                    int             `json:"version"`
	Sources                    []exportSource  `json:"sources"`
	RemoteSchemas              json.RawMessage `json:"remote_schemas,omitempty"`
	QueryCollections           json.RawMessage `json:"query_collections,omitempty"`
	AllowList                  json.RawMessage `json:"allowlist,omitempty"`
	Actions                    json.RawMessage `json:"actions,omitempty"`
	CustomTypes                json.RawMessage `json:"custom_types,omitempty"`
	CronTriggers               json.RawMessage `json:"cron_triggers,omitempty"`
	RESTEndpoints              json.RawMessage `json:"rest_endpoints,omitempty"`
	APILimits                  json.RawMessage `json:"api_limits,omitempty"`
	MetricsConfig              json.RawMessage `json:"metrics_config,omitempty"`
	InheritedRoles             json.RawMessage `json:"inherited_roles,omitempty"`
	GraphQLSchemaIntrospection json.RawMessage `json:"graphql_schema_introspection,omitempty"`
	Network                    json.RawMessage `json:"network,omitempty"`
	BackendConfigs             json.RawMessage `json:"backend_configs,omitempty"`
	OpenTelemetry              json.RawMessage `json:"opentelemetry,omitempty"`
}

// exportSource is a source in Hasura's export order.
type exportSource struct {
	Name             string            `json:"name"`
	Kind             string            `json:"kind"`
	Tables           []TableEntry      `json:"tables"`
	Functions        []json.RawMessage `json:"functions,omitempty"`
	NativeQueries    []json.RawMessage `json:"native_queries,omitempty"`
	StoredProcedures []json.RawMessage `json:"stored_procedures,omitempty"`
	LogicalModels    []json.RawMessage `json:"logical_models,omitempty"`
	Configuration    json.RawMessage   `json:"configuration,omitempty"`
	QueryTags        json.RawMessage   `json:"query_tags,omitempty"`
	Customization    json.RawMessage   `json:"customization,omitempty"`
	HealthCheck      json.RawMessage   `json:"health_check,omitempty"`
}

// ExportJSON renders md as Hasura's export_metadata does: a version 3
// object whose sources are always present (each with its tables) and
// whose other sections, and a table's configuration, are left out when
// empty. A table configuration's legacy custom_column_names is written as
// column_config, as Hasura keeps it.
func ExportJSON(md *Metadata) json.RawMessage {
	if md == nil {
		md = &Metadata{}
	}
	doc := exportDoc{Version: MetadataVersion, Sources: make([]exportSource, len(md.Sources))}
	for i, s := range md.Sources {
		doc.Sources[i] = exportSourceOf(s)
	}
	for _, f := range []struct {
		dst *json.RawMessage
		src json.RawMessage
	}{
		{&doc.RemoteSchemas, md.RemoteSchemas}, {&doc.QueryCollections, md.QueryCollections},
		{&doc.AllowList, md.AllowList}, {&doc.Actions, md.Actions}, {&doc.CustomTypes, md.CustomTypes},
		{&doc.CronTriggers, md.CronTriggers}, {&doc.RESTEndpoints, md.RESTEndpoints},
		{&doc.APILimits, md.APILimits}, {&doc.MetricsConfig, md.MetricsConfig},
		{&doc.InheritedRoles, md.InheritedRoles}, {&doc.GraphQLSchemaIntrospection, md.GraphQLSchemaIntrospection},
		{&doc.Network, md.Network}, {&doc.BackendConfigs, md.BackendConfigs}, {&doc.OpenTelemetry, md.OpenTelemetry},
	} {
		*f.dst = nonEmptyRaw(f.src)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		// Only an invalid raw section can fail; leave such sections out.
		return exportWithoutBadRaw(doc)
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func exportSourceOf(s Source) exportSource {
	out := exportSource{
		Name: s.Name, Kind: s.Kind, Tables: make([]TableEntry, len(s.Tables)),
		Functions: s.Functions, NativeQueries: s.NativeQueries,
		StoredProcedures: s.StoredProcedures, LogicalModels: s.LogicalModels,
		Configuration: nonEmptyRaw(s.Configuration), QueryTags: nonEmptyRaw(s.QueryTags),
		Customization: nonEmptyRaw(s.Customization), HealthCheck: nonEmptyRaw(s.HealthCheck),
	}
	for i, e := range s.Tables {
		e.Configuration = normalConfig(e.Configuration)
		e.ApolloFederationConfig = nonEmptyRaw(e.ApolloFederationConfig)
		out.Tables[i] = e
	}
	// Hasura writes tables sorted by schema and name.
	sort.SliceStable(out.Tables, func(i, j int) bool {
		a, b := out.Tables[i].Table, out.Tables[j].Table
		if a.Schema != b.Schema {
			return a.Schema < b.Schema
		}
		return a.Name < b.Name
	})
	return out
}

// nonEmptyRaw is r, or nil when r is null, [] or {}.
func nonEmptyRaw(r json.RawMessage) json.RawMessage {
	switch string(bytes.TrimSpace(r)) {
	case "", "null", "[]", "{}":
		return nil
	}
	return r
}

// exportWithoutBadRaw encodes doc after dropping the raw values that are
// not valid JSON.
func exportWithoutBadRaw(doc exportDoc) json.RawMessage {
	valid := func(r json.RawMessage) json.RawMessage {
		if json.Valid(r) {
			return r
		}
		return nil
	}
	validList := func(l []json.RawMessage) []json.RawMessage {
		var out []json.RawMessage
		for _, r := range l {
			if json.Valid(r) {
				out = append(out, r)
			}
		}
		return out
	}
	for _, p := range []*json.RawMessage{&doc.RemoteSchemas, &doc.QueryCollections, &doc.AllowList, &doc.Actions,
		&doc.CustomTypes, &doc.CronTriggers, &doc.RESTEndpoints, &doc.APILimits, &doc.MetricsConfig,
		&doc.InheritedRoles, &doc.GraphQLSchemaIntrospection, &doc.Network, &doc.BackendConfigs, &doc.OpenTelemetry} {
		*p = valid(*p)
	}
	for i := range doc.Sources {
		s := &doc.Sources[i]
		s.Configuration, s.QueryTags = valid(s.Configuration), valid(s.QueryTags)
		s.Customization, s.HealthCheck = valid(s.Customization), valid(s.HealthCheck)
		s.Functions, s.NativeQueries = validList(s.Functions), validList(s.NativeQueries)
		s.StoredProcedures, s.LogicalModels = validList(s.StoredProcedures), validList(s.LogicalModels)
		for j := range s.Tables {
			e := &s.Tables[j]
			for _, l := range []*[]json.RawMessage{&e.SelectPermissions, &e.InsertPermissions, &e.UpdatePermissions,
				&e.DeletePermissions, &e.ComputedFields, &e.RemoteRelationships, &e.EventTriggers} {
				*l = validList(*l)
			}
			e.ApolloFederationConfig = valid(e.ApolloFederationConfig)
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(doc) != nil {
		return json.RawMessage(`{"version":3,"sources":[]}`)
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// ParseReplaceMetadata reads replace_metadata's arguments in both forms:
// v1, the metadata object itself, and v2, {"allow_inconsistent_metadata":
// bool, "metadata": {...}}. The metadata may be a version 3 document or,
// as Hasura still accepts, a version 1 or 2 document without sources
// ({"tables": [...], "functions": [...], …}), whose tables and functions
// become those of the source "default" with the configuration the first
// track would give it. Errors are parse-failed APIErrors.
func ParseReplaceMetadata(args json.RawMessage) (md *Metadata, allowInconsistent bool, err error) {
	v, err := parseArgs(args)
	if err != nil {
		return nil, false, err
	}
	if err := expectObject(v, "ReplaceMetadata"); err != nil {
		return nil, false, err
	}
	if mv := v.get("metadata"); mv != nil {
		if allowInconsistent, err = optBool(v, "allow_inconsistent_metadata"); err != nil {
			return nil, false, err
		}
		v = mv
	}
	md, err = parseDocument(v)
	return md, allowInconsistent, err
}

// parseDocument reads a metadata document of any version.
func parseDocument(v *value) (*Metadata, error) {
	if err := expectObject(v, "Metadata"); err != nil {
		return nil, err
	}
	version := 1
	if vv := v.get("version"); vv != nil {
		n, err := vv.integer()
		if err != nil {
			return nil, parseFailed(vv, "parsing Int failed, expected Number, but encountered %s", aesonKind(vv.kind))
		}
		version = n
	}
	switch version {
	case MetadataVersion:
		md := &Metadata{}
		if err := md.decode(v); err != nil {
			return nil, decodeErr(err)
		}
		return md, nil
	case 1, 2:
		return parseLegacyDocument(v)
	}
	return nil, parseFailed(v.get("version"), "expected 1, 2 or 3, encountered %d", version)
}

// parseLegacyDocument reads a version 1 or 2 document: the tables and
// functions of the default source and the top-level sections.
func parseLegacyDocument(v *value) (*Metadata, error) {
	md := &Metadata{Version: MetadataVersion}
	src := newDefaultSource()
	for _, f := range v.fields {
		if f.val.kind == kindNull {
			continue
		}
		switch f.key {
		case "tables":
			items, err := f.val.items()
			if err != nil {
				return nil, decodeErr(err)
			}
			src.Tables = make([]TableEntry, len(items))
			for i, it := range items {
				if err := src.Tables[i].decode(it); err != nil {
					return nil, decodeErr(err)
				}
			}
		case "functions":
			fns, err := legacyFunctions(f.val)
			if err != nil {
				return nil, err
			}
			src.Functions = fns
		default:
			for _, rf := range metadataRawFields {
				if rf.key == f.key {
					*rf.get(md) = emptyRaw(f.val)
				}
			}
		}
	}
	md.Sources = []Source{src}
	return md, nil
}

// legacyFunctions reads the functions of a version 1 document (names) or
// version 2 ({function, configuration}).
func legacyFunctions(v *value) ([]json.RawMessage, error) {
	items, err := v.items()
	if err != nil {
		return nil, decodeErr(err)
	}
	out := make([]json.RawMessage, 0, len(items))
	for _, it := range items {
		if it.kind == kindObject && it.get("function") != nil {
			out = append(out, it.json())
			continue
		}
		n, err := qualifiedName(it)
		if err != nil {
			return nil, err
		}
		raw, err := marshal(functionEntry{Function: n})
		if err != nil {
			return nil, err
		}
		out = append(out, raw)
	}
	return out, nil
}
