// Package permissions holds the role permission model and its evaluation
// against a session: which tables, columns and rows a role may read or
// write. engine/schema asks it what a role's schema contains and
// engine/plan folds its row filters, presets and checks into the IR.
//
// Input: a resolved *metadata.Model, whose tables carry their permission
// entries as written. Output: a *Set, compiled once per model, that maps
// each role to its per-table permissions with boolean expressions resolved
// against the catalog (columns, relationships, tables of _exists) and
// session variables kept as references: their values are bound per
// request by the planner and the SQL generator, never here.
//
// Inherited roles (the model's inherited_roles) get their parents'
// permissions combined as Hasura combines them (see inherit.go).
//
// Invariants: a Set is immutable; the admin role has every permission and
// no filter; a permission whose expression names something missing is left
// out (the role then lacks it) and listed in Set.Problems.
package permissions
