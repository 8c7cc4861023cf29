package schema

import (
	"sort"

	"github.com/trellis-gql/trellis/metadata"
)

// FieldConflict is a root field name that several tables would define.
type FieldConflict struct {
	Name string
	// Tables name the tables as Hasura does, sorted: "table article in
	// source default".
	Tables []string
}

// RootConflicts finds the root fields that more than one table of the
// model would define: those of mutation_root first, as Hasura checks
// them first, else those of query_root. Each list is in Hasura's order:
// the reverse of the order a table's fields are generated in.
func RootConflicts(m *metadata.Model, defaultNaming string) (root string, conflicts []FieldConflict) {
	naming := NamingFor(orDefault(m.NamingConvention, defaultNaming))
	type claim struct {
		tables []string
		order  int // generation order of the name
	}
	collect := func(fields func(t *metadata.Table, n TypeNames) []string) []FieldConflict {
		claims := map[string]*claim{}
		order := 0
		for _, t := range m.Tables {
			label := "table " + displayTable(t) + " in source " + metadata.DefaultSource
			for _, name := range fields(t, NamesFor(t, naming)) {
				c := claims[name]
				if c == nil {
					c = &claim{order: order}
					claims[name] = c
				}
				order++
				c.tables = append(c.tables, label)
			}
		}
		var out []FieldConflict
		for name, c := range claims {
			if len(c.tables) > 1 {
				sort.Strings(c.tables)
				out = append(out, FieldConflict{Name: name, Tables: c.tables})
			}
		}
		sort.Slice(out, func(i, j int) bool { return claims[out[i].Name].order > claims[out[j].Name].order })
		return out
	}
	mutation := collect(func(t *metadata.Table, n TypeNames) []string {
		mn, info := MutationNamesFor(t, n), t.Info
		var names []string
		if info.Insertable {
			names = append(names, mn.Insert, mn.InsertOne)
		}
		if info.Updatable {
			names = append(names, mn.Update)
			if info.PrimaryKey != nil {
				names = append(names, mn.UpdateByPk)
			}
			names = append(names, mn.UpdateMany)
		}
		if info.Deletable {
			names = append(names, mn.Delete)
			if info.PrimaryKey != nil {
				names = append(names, mn.DeleteByPk)
			}
		}
		return names
	})
	if len(mutation) > 0 {
		return MutationRoot, mutation
	}
	query := collect(func(t *metadata.Table, n TypeNames) []string {
		names := []string{n.Select}
		if t.Info.PrimaryKey != nil {
			names = append(names, n.SelectByPk)
		}
		return append(names, n.SelectAggregate)
	})
	if len(query) > 0 {
		return QueryRoot, query
	}
	return "", nil
}

// displayTable is a table's name in Hasura's messages: without the schema
// when it is public.
func displayTable(t *metadata.Table) string {
	n := t.Info.Name
	if n.Schema == "public" {
		return n.Name
	}
	return n.Schema + "." + n.Name
}
