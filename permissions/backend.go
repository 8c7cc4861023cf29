package permissions

import "github.com/trellis-gql/trellis/engine/catalog"

// Backend-only permissions (Hasura's backend_only): an insert, update or
// delete permission marked backend_only is left out of the role's schema
// (the frontend scenario) unless the request asks for the backend
// scenario with x-hasura-use-backend-only-permissions: true and is trusted
// (engine/auth decides). In the backend scenario the role has every one of
// its permissions, backend_only or not.

// Backend returns the role as the backend scenario sees it: the same
// permissions with their backend_only marks cleared, so that nothing is
// hidden. A role without a backend_only permission is returned as is.
func (r *Role) Backend() *Role {
	if !r.HasBackendOnly() {
		return r
	}
	out := &Role{Name: r.Name, tables: make(map[catalog.QualifiedName]*Table, len(r.tables))}
	for name, t := range r.tables {
		c := *t
		if c.Insert != nil && c.Insert.BackendOnly {
			ins := *c.Insert
			ins.BackendOnly = false
			c.Insert = &ins
		}
		if c.Update != nil && c.Update.BackendOnly {
			upd := *c.Update
			upd.BackendOnly = false
			c.Update = &upd
		}
		if c.Delete != nil && c.Delete.BackendOnly {
			del := *c.Delete
			del.BackendOnly = false
			c.Delete = &del
		}
		out.tables[name] = &c
	}
	return out
}

// HasBackendOnly reports whether some permission of the role is
// backend_only, that is whether its backend scenario differs.
func (r *Role) HasBackendOnly() bool {
	for _, t := range r.tables {
		if (t.Insert != nil && t.Insert.BackendOnly) || (t.Update != nil && t.Update.BackendOnly) || (t.Delete != nil && t.Delete.BackendOnly) {
			return true
		}
	}
	return false
}
