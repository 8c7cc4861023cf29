package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/trellis-gql/trellis/metadata/apiclient"
	"github.com/trellis-gql/trellis/metadata/project"
	"github.com/trellis-gql/trellis/migrations"
)

func newSeedCmd() *cobra.Command {
	o := &migrateOptions{}
	cmd := &cobra.Command{
		Use:     "seed",
		Short:   "Create and apply seed data (SQL files in seeds/<database>/)",
		Example: "  trellis seed create tutors\n  trellis seed apply",
	}
	o.bind(cmd.PersistentFlags())
	cmd.PersistentFlags().StringVar(&o.database, "database-name", project.DefaultDatabase, "the database (source) the seeds belong to")
	cmd.AddCommand(seedCreateCmd(o), seedApplyCmd(o))
	return cmd
}

func seedCreateCmd(o *migrateOptions) *cobra.Command {
	return &cobra.Command{
		Use:     "create NAME",
		Short:   "Create an empty seed file <version>_<name>.sql",
		Example: "  trellis seed create tutors\n  $EDITOR seeds/default/*_tutors.sql",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := o.project()
			if err != nil {
				return err
			}
			name := args[0]
			if strings.ContainsAny(name, `/\`) || strings.TrimSpace(name) == "" {
				return fmt.Errorf("seed name %q: use a plain file name", name)
			}
			dir := p.SeedsDir(o.database)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			path := filepath.Join(dir, fmt.Sprintf("%d_%s.sql", migrations.NewVersion(time.Now()), name))
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if err != nil {
				return err
			}
			if _, err := fmt.Fprintf(f, "-- seed %s: INSERT statements, run by `trellis seed apply`\n", name); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			progress(cmd, "created seed %s", path)
			fmt.Fprintln(cmd.OutOrStdout(), path)
			return nil
		},
	}
}

func seedApplyCmd(o *migrateOptions) *cobra.Command {
	var files []string
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Run the seed files (all, or those named with --file) in one transaction",
		Example: `  trellis seed apply
  trellis seed apply --file 1700000000000_tutors.sql`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, c, err := o.connect()
			if err != nil {
				return err
			}
			paths, err := seedFiles(p.SeedsDir(o.database), files)
			if err != nil {
				return err
			}
			if len(paths) == 0 {
				progress(cmd, "no seed files in %s", p.SeedsDir(o.database))
				return nil
			}
			return applySeeds(cmd, c, o.database, paths)
		},
	}
	cmd.Flags().StringSliceVarP(&files, "file", "f", nil, "a seed file to run (a name in the seeds folder or a path); repeatable")
	return cmd
}

// seedFiles lists the .sql files of dir in name order, or the named ones.
func seedFiles(dir string, named []string) ([]string, error) {
	if len(named) > 0 {
		out := make([]string, len(named))
		for i, n := range named {
			out[i] = n
			if _, err := os.Stat(n); err != nil {
				out[i] = filepath.Join(dir, n)
			}
			if _, err := os.Stat(out[i]); err != nil {
				return nil, fmt.Errorf("seed file %s: %w", n, err)
			}
		}
		return out, nil
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".sql") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	slices.Sort(out)
	return out, nil
}

// applySeeds runs the files as one bulk: all or nothing.
func applySeeds(cmd *cobra.Command, c *apiclient.Client, database string, paths []string) error {
	ops := make([]apiclient.Op, len(paths))
	texts := make([]string, len(paths))
	for i, p := range paths {
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		texts[i] = string(body)
		ops[i] = apiclient.Op{Type: "run_sql", Args: map[string]any{"source": database, "sql": texts[i]}}
	}
	if _, err := c.Bulk(cmd.Context(), ops); err != nil {
		i := apiclient.BulkIndex(err)
		if i < 0 || i >= len(paths) {
			return fmt.Errorf("applying seeds (nothing was applied): %w", err)
		}
		loc := paths[i]
		var sqlErr *migrations.SQLError
		if errors.As(err, &sqlErr) && sqlErr.Position > 0 {
			line, col := migrations.LineColumn(texts[i], sqlErr.Position)
			loc = fmt.Sprintf("%s:%d:%d", loc, line, col)
		}
		return &exitError{code: 1, msg: fmt.Sprintf("seed %s failed, nothing was applied: %v", loc, err)}
	}
	for _, p := range paths {
		progress(cmd, "applied seed %s", p)
	}
	return nil
}
