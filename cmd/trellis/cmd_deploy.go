package main

import (
	"github.com/spf13/cobra"

	"github.com/trellis-gql/trellis/migrations"
)

func newDeployCmd() *cobra.Command {
	o := &migrateOptions{}
	var allow bool
	cmd := &cobra.Command{
		Use:   "deploy",
		Short: "Apply pending migrations, then the metadata, then reload: the one command a pipeline needs",
		Long: `Deploy the project to the server: apply every pending migration of each
database folder, then replace the metadata with the project's, then reload.
It stops at the first failure with a non-zero exit status; what ran before
the failure stays (each migration is whole or not at all).`,
		Example: `  trellis deploy --endpoint https://staging.example.com --admin-secret "$ADMIN_SECRET"
  HASURA_GRAPHQL_ENDPOINT=https://api.example.com trellis deploy`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, c, err := o.connect()
			if err != nil {
				return err
			}
			databases, err := p.Databases()
			if err != nil {
				return err
			}
			for _, db := range databases {
				if err := runMigrations(cmd, &o.cliOptions, c, p, db, migrations.Request{}); err != nil {
					return err
				}
			}
			if err := applyMetadata(cmd, &o.cliOptions, c, p.MetadataDir(), allow); err != nil {
				return err
			}
			return reloadMetadata(cmd, &o.cliOptions, c, allow)
		},
	}
	o.bind(cmd.Flags())
	cmd.Flags().BoolVar(&allow, "allow-inconsistent", false, "apply metadata even when some objects do not match the database")
	return cmd
}
