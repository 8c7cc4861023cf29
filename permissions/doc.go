// Package permissions holds the role permission model and its evaluation
// against a session: which tables, columns and rows a role may read or
// write. engine/schema asks it what a role's schema contains and
// engine/plan folds its row filters, presets and checks into the IR.
//
// Today it knows one rule: the admin role sees everything, and any other
// role sees nothing until select permissions are enforced.
package permissions
