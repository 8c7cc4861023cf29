package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/trellis-gql/trellis/metadata"
	"github.com/trellis-gql/trellis/metadata/project"
)

func newInitCmd() *cobra.Command {
	var endpoint, adminSecret string
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a project folder (config.yaml, metadata/, migrations/, seeds/)",
		Long: `Create a project folder in the Hasura CLI's config v3 layout: config.yaml,
a metadata directory holding the database "default" with no tables yet,
migrations/default/ and seeds/default/. A Hasura project folder already has
this layout and works with trellis as it is.`,
		Example: `  trellis init tutoring --endpoint http://localhost:8080
  cd tutoring && trellis migrate create init --from-server && trellis metadata export`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "trellis"
			if len(args) == 1 {
				dir = args[0]
			}
			files, err := metadata.RenderDir(metadata.ExportJSON(metadata.Empty()))
			if err != nil {
				return err
			}
			p, _, err := project.Init(dir, project.InitOptions{Endpoint: endpoint, AdminSecret: adminSecret, Metadata: files})
			if err != nil {
				return err
			}
			abs, _ := filepath.Abs(p.Dir)
			progress(cmd, "created project %s (endpoint %s)", abs, p.Config.Endpoint)
			fmt.Fprintln(cmd.OutOrStdout(), abs)
			return nil
		},
	}
	cmd.Flags().StringVar(&endpoint, "endpoint", project.DefaultEndpoint, "the server's URL, written to config.yaml")
	cmd.Flags().StringVar(&adminSecret, "admin-secret", "", "the admin secret, written to config.yaml (prefer HASURA_GRAPHQL_ADMIN_SECRET)")
	return cmd
}
