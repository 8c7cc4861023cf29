package metadata

import "encoding/json"

// Clone deep-copies a document: the copy shares no slice, map, pointer or
// JSON buffer with md. Empty and nil slices stay as they are.
func Clone(md *Metadata) *Metadata {
	if md == nil {
		return nil
	}
	out := *md
	out.Sources = cloneSlice(md.Sources, cloneSource)
	for _, rf := range metadataRawFields {
		p := rf.get(&out)
		*p = cloneRaw(*p)
	}
	return &out
}

func cloneSlice[T any](in []T, clone func(T) T) []T {
	if in == nil {
		return nil
	}
	out := make([]T, len(in))
	for i, x := range in {
		out[i] = clone(x)
	}
	return out
}

func cloneRaw(r json.RawMessage) json.RawMessage {
	if r == nil {
		return nil
	}
	return append(json.RawMessage{}, r...)
}

func cloneRawList(l []json.RawMessage) []json.RawMessage { return cloneSlice(l, cloneRaw) }

func cloneSource(s Source) Source {
	out := s
	out.Configuration = cloneRaw(s.Configuration)
	out.Tables = cloneSlice(s.Tables, cloneEntry)
	out.Functions = cloneRawList(s.Functions)
	out.NativeQueries = cloneRawList(s.NativeQueries)
	out.LogicalModels = cloneRawList(s.LogicalModels)
	out.StoredProcedures = cloneRawList(s.StoredProcedures)
	out.QueryTags = cloneRaw(s.QueryTags)
	out.Customization = cloneRaw(s.Customization)
	out.HealthCheck = cloneRaw(s.HealthCheck)
	return out
}

func cloneEntry(e TableEntry) TableEntry {
	out := e
	out.Configuration = cloneConfig(e.Configuration)
	out.ObjectRelationships = cloneSlice(e.ObjectRelationships, cloneRel)
	out.ArrayRelationships = cloneSlice(e.ArrayRelationships, cloneRel)
	out.SelectPermissions = cloneRawList(e.SelectPermissions)
	out.InsertPermissions = cloneRawList(e.InsertPermissions)
	out.UpdatePermissions = cloneRawList(e.UpdatePermissions)
	out.DeletePermissions = cloneRawList(e.DeletePermissions)
	out.ComputedFields = cloneRawList(e.ComputedFields)
	out.RemoteRelationships = cloneRawList(e.RemoteRelationships)
	out.EventTriggers = cloneRawList(e.EventTriggers)
	out.ApolloFederationConfig = cloneRaw(e.ApolloFederationConfig)
	return out
}

func cloneConfig(c *TableConfig) *TableConfig {
	if c == nil {
		return nil
	}
	out := *c
	out.ColumnConfig = cloneMap(c.ColumnConfig)
	out.CustomColumnNames = cloneMap(c.CustomColumnNames)
	if c.Comment != nil {
		s := *c.Comment
		out.Comment = &s
	}
	return &out
}

func cloneMap[V any](m map[string]V) map[string]V {
	if m == nil {
		return nil
	}
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func cloneRel(r RelationshipEntry) RelationshipEntry {
	out := r
	if fk := r.Using.ForeignKeyConstraintOn; fk != nil {
		c := *fk
		if fk.Table != nil {
			t := *fk.Table
			c.Table = &t
		}
		c.Columns = cloneSlice(fk.Columns, func(s string) string { return s })
		out.Using.ForeignKeyConstraintOn = &c
	}
	if mc := r.Using.ManualConfiguration; mc != nil {
		c := *mc
		c.ColumnMapping = cloneSlice(mc.ColumnMapping, func(p ColumnPair) ColumnPair { return p })
		out.Using.ManualConfiguration = &c
	}
	return out
}
