// Package metadata reads Hasura's metadata and checks it against the
// database.
//
// Input: a metadata directory in the Hasura CLI's version 3 layout
// (LoadDir), or the JSON document Hasura stores in hdb_catalog and
// exchanges on /v1/metadata (json.Unmarshal into Metadata). Both forms go
// through one set of decoders, so they accept the same shapes Hasura
// accepts (a table as a bare name or {schema, name}, a root field as a
// bare name or {name, comment}, the five forms of
// foreign_key_constraint_on) and reject unknown fields, with the file,
// line and JSON path of the offending value. Objects are read in their
// written order; column_mapping keeps it. Parts of the metadata this
// package does not interpret (permissions, source configuration, actions,
// remote schemas, …) are kept as JSON.
//
// Output: Resolve checks a Metadata against an engine/catalog.Catalog and
// returns a Model: the tables, columns and relationships that exist, in
// metadata order, and the inconsistencies, in the shape and wording of
// Hasura's get_inconsistent_metadata. A broken object never makes Resolve
// fail; it is left out of the Model and reported.
//
// The other way, RenderDir lays a document out as the Hasura CLI's
// metadata directory (actions split between actions.graphql and
// actions.yaml, see ActionsSDL), WriteDir puts those files on disk, and
// DirDocument reads a directory back into the document replace_metadata
// takes (MergeActionsSDL joins the two actions files).
//
// Invariants: a Model is immutable once built; every Relationship of a
// Model has a Target in the same Model and columns that exist on both
// sides; the only file I/O is LoadDir's and DirDocument's, which only
// read files under their directory, and WriteDir's, which only writes and
// removes files under its directory.
package metadata
