// Package project reads and creates a CLI project folder in the Hasura
// CLI's config v3 layout, so that a Hasura project works unchanged:
//
//	config.yaml        version, endpoint, admin_secret, metadata_directory,
//	                   migrations_directory, seeds_directory, actions
//	metadata/          the metadata directory (version 3)
//	migrations/<db>/   <version>_<name>/up.sql and down.sql
//	seeds/<db>/        <version>_<name>.sql
//
// Settings come from flags, else TRELLIS_* and then HASURA_GRAPHQL_*
// environment variables (a .env file in the project folder sets those that
// are not set already, as the Hasura CLI's --envfile does), else
// config.yaml, else defaults. Resolve applies that order; Find locates the
// project from a folder inside it.
//
// Invariants: reading a project never writes; Init never overwrites an
// existing file.
package project
