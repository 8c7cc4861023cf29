package schema

import "github.com/trellis-gql/trellis/permissions"

// A role may insert into, update or delete from a table it cannot select
// from. Hasura then gives the table its mutation fields, shaped by what
// the role cannot read (Hasura.GraphQL.Schema.Mutation):
//
//   - insert_<t>, update_<t>, update_<t>_many and delete_<t> answer
//     <t>_mutation_response with affected_rows only: returning needs the
//     select permission;
//   - insert_<t>_one, update_<t>_by_pk and delete_<t>_by_pk answer the row
//     itself (and the _by_pk ones take key columns the role reads): none;
//   - <t>_bool_exp (the where of update_<t> and delete_<t>) has no column
//     and no relationship, only _and, _or and _not;
//   - query_root and subscription_root get nothing from the table, and no
//     relationship, computed field or function leads to it.
//
// Such a table is built like the others, with a select permission that
// grants nothing, and marked WriteOnly.

// writeOnlyPermission returns the permissions of a table the role has no
// select permission on, with one that grants nothing, or nil when the
// role has no permission on the table at all.
func writeOnlyPermission(p *permissions.Table) *permissions.Table {
	if p.Insert == nil && p.Update == nil && p.Delete == nil {
		return nil
	}
	out := *p
	out.Select = &permissions.Select{
		Columns:                permissions.ColumnSet{},
		ComputedFields:         map[string]bool{},
		QueryRootFields:        []string{},
		SubscriptionRootFields: []string{},
	}
	return &out
}

// readsSomeTable reports whether the role may select from some table: a
// role that may not has no_queries_available in query_root.
func (b *builder) readsSomeTable() bool {
	for _, t := range b.tables {
		if !t.WriteOnly {
			return true
		}
	}
	return false
}
