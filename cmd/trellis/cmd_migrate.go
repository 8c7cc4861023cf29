package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/trellis-gql/trellis/metadata/apiclient"
	"github.com/trellis-gql/trellis/metadata/project"
	"github.com/trellis-gql/trellis/migrations"
)

func newMigrateCmd() *cobra.Command {
	o := &migrateOptions{}
	cmd := &cobra.Command{
		Use:     "migrate",
		Short:   "Create, apply, roll back and squash the project's SQL migrations",
		Example: "  trellis migrate create add_lessons\n  trellis migrate apply\n  trellis migrate status",
		Long: `Migrations are folders migrations/<database>/<version>_<name>/ holding up.sql
and down.sql, as the Hasura CLI writes them. The versions a server has applied
are kept in its catalog state (hdb_catalog.hdb_version.cli_state), where the
Hasura CLI keeps them too, so either CLI can drive either server.`,
	}
	o.bind(cmd.PersistentFlags())
	cmd.PersistentFlags().StringVar(&o.database, "database-name", project.DefaultDatabase, "the database (source) the migrations belong to")
	cmd.AddCommand(o.createCmd(), o.applyCmd(), o.statusCmd(), o.squashCmd(), o.deleteCmd())
	return cmd
}

type migrateOptions struct {
	cliOptions
	database string
}

func (o *migrateOptions) createCmd() *cobra.Command {
	var fromServer bool
	var schemas []string
	var upSQL, downSQL string
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Create a migration folder with up.sql and down.sql",
		Example: `  trellis migrate create add_lessons
  trellis migrate create add_index --up-sql 'CREATE INDEX ...' --down-sql 'DROP INDEX ...'
  # the server's current schema as the first migration (marked applied there)
  trellis migrate create init --from-server --schema public`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := o.project()
			if err != nil {
				return err
			}
			up, down := []byte(upSQL), []byte(downSQL)
			var c *apiclient.Client
			if fromServer {
				c, err = o.client(p)
				if err != nil {
					return err
				}
				opts := []string{"-O", "-x", "--schema-only"}
				for _, s := range schemas {
					opts = append(opts, "--schema", s)
				}
				if up, err = c.PGDump(cmd.Context(), o.database, opts); err != nil {
					return fmt.Errorf("dumping the server's schema: %w", err)
				}
				down = []byte("-- Written by trellis migrate create --from-server: this migration holds the\n-- whole schema, so it has no automatic down migration. Write one here if you\n-- need to roll it back.\n")
			}
			m, err := migrations.Create(p.MigrationsDir(o.database), migrations.NewVersion(time.Now()), args[0], up, down)
			if err != nil {
				return err
			}
			progress(cmd, "created migration %s", m.Dir)
			if fromServer {
				steps := []migrations.Step{{Migration: m, Direction: migrations.Up}}
				a := &migrations.Applier{Server: c.Migrations(), Database: o.database}
				if err := a.Run(cmd.Context(), steps); err != nil {
					return err
				}
				progress(cmd, "marked %d as applied on %s (its schema came from there)", m.Version, c.Endpoint())
			}
			if o.json() {
				return printJSON(cmd.OutOrStdout(), map[string]any{"version": m.Version, "name": m.Name, "dir": m.Dir})
			}
			fmt.Fprintln(cmd.OutOrStdout(), m.Version)
			return nil
		},
	}
	cmd.Flags().BoolVar(&fromServer, "from-server", false, "take up.sql from the server's schema (pg_dump --schema-only)")
	cmd.Flags().StringSliceVar(&schemas, "schema", []string{"public"}, "with --from-server: the schemas to dump")
	cmd.Flags().StringVar(&upSQL, "up-sql", "", "the text of up.sql")
	cmd.Flags().StringVar(&downSQL, "down-sql", "", "the text of down.sql")
	return cmd
}

func (o *migrateOptions) applyCmd() *cobra.Command {
	var r migrations.Request
	var down, direction string
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Apply pending migrations (or roll back, go to a version, mark without running)",
		Long: `Apply every pending migration, oldest first, each in its own transaction
together with the record of it. A failing migration is rolled back, nothing of
it is recorded, and the command stops with the file and line of the error.
Applying again when nothing is pending does nothing.`,
		Example: `  trellis migrate apply                      # all pending
  trellis migrate apply --up 1               # the next one
  trellis migrate apply --down 2             # roll back the last two
  trellis migrate apply --down all
  trellis migrate apply --goto 1700000000001
  trellis migrate apply --version 1700000000001 --type down
  trellis migrate apply --version 1700000000001 --skip-execution   # only mark it applied`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := parseDown(down, &r); err != nil {
				return err
			}
			r.Type = migrations.Direction(direction)
			p, c, err := o.connect()
			if err != nil {
				return err
			}
			return runMigrations(cmd, &o.cliOptions, c, p, o.database, r)
		},
	}
	f := cmd.Flags()
	f.IntVar(&r.Up, "up", 0, "apply the next N pending migrations")
	f.StringVar(&down, "down", "", "roll back the last N applied migrations, or all")
	f.Int64Var(&r.Goto, "goto", 0, "go to version V: roll back the later ones, apply the pending ones up to it")
	f.Int64Var(&r.Version, "version", 0, "apply (or with --type down, roll back) only version V")
	f.StringVar(&direction, "type", "up", "with --version: up or down")
	f.BoolVar(&r.SkipExecution, "skip-execution", false, "only record the versions as applied (or not), running no SQL")
	return cmd
}

func parseDown(s string, r *migrations.Request) error {
	switch s {
	case "":
		return nil
	case "all":
		r.DownAll = true
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return fmt.Errorf("--down takes a positive number or all, not %q", s)
	}
	r.Down = n
	return nil
}

// runMigrations plans r for database and carries it out, one progress line
// a step.
func runMigrations(cmd *cobra.Command, o *cliOptions, c *apiclient.Client, p *project.Project, database string, r migrations.Request) error {
	ctx := cmd.Context()
	files, err := migrations.Load(p.MigrationsDir(database))
	if err != nil {
		return err
	}
	st, err := migrations.LoadState(ctx, c.Migrations(), database)
	if err != nil {
		return err
	}
	steps, err := migrations.Plan(files, st.Applied(database), r)
	if err != nil {
		return err
	}
	type done struct {
		Version   int64  `json:"version"`
		Name      string `json:"name"`
		Direction string `json:"direction"`
		Executed  bool   `json:"executed"`
	}
	report := []done{}
	a := &migrations.Applier{Server: c.Migrations(), Database: database, Progress: func(s migrations.Step, took time.Duration) {
		what := map[migrations.Direction]string{migrations.Up: "applied", migrations.Down: "rolled back"}[s.Direction]
		switch {
		case s.Adopt:
			what = "marked applied (its squashed parts are applied)"
		case !s.Execute:
			what = map[migrations.Direction]string{migrations.Up: "marked applied", migrations.Down: "marked not applied"}[s.Direction]
		}
		progress(cmd, "%s %s (%s)", what, s.Migration.Folder(), took.Round(time.Millisecond))
		report = append(report, done{s.Migration.Version, s.Migration.Name, string(s.Direction), s.Execute})
	}}
	if len(steps) == 0 {
		progress(cmd, "nothing to apply on database %q", database)
	}
	runErr := a.Run(ctx, steps)
	if o.json() {
		if err := printJSON(cmd.OutOrStdout(), report); err != nil {
			return err
		}
	}
	var stepErr *migrations.StepError
	if errors.As(runErr, &stepErr) {
		return &exitError{code: 1, msg: stepErr.Error()}
	}
	return runErr
}

func (o *migrateOptions) statusCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "status",
		Short:   "List the migrations: present in the files, applied on the server",
		Example: "  trellis migrate status\n  trellis migrate status --output json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, c, err := o.connect()
			if err != nil {
				return err
			}
			files, err := migrations.Load(p.MigrationsDir(o.database))
			if err != nil {
				return err
			}
			st, err := migrations.LoadState(cmd.Context(), c.Migrations(), o.database)
			if err != nil {
				return err
			}
			rows := migrations.Status(files, st.Applied(o.database))
			if o.json() {
				return printJSON(cmd.OutOrStdout(), rows)
			}
			return printStatus(cmd, rows)
		},
	}
}

func printStatus(cmd *cobra.Command, rows []migrations.Row) error {
	w := newTable(cmd.OutOrStdout())
	fmt.Fprintln(w, "VERSION\tNAME\tSOURCE STATUS\tDATABASE STATUS")
	for _, r := range rows {
		src, db := "Present", "Present"
		if !r.InFiles {
			src = "Not Present"
		}
		if !r.InDatabase {
			db = "Not Present"
		}
		if r.Dirty {
			db += " (dirty)"
		}
		if r.SupersededBy != 0 && !r.InDatabase {
			db = fmt.Sprintf("Squashed into %d", r.SupersededBy)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", r.Version, r.Name, src, db)
	}
	return w.Flush()
}

func (o *migrateOptions) squashCmd() *cobra.Command {
	var opts migrations.SquashOptions
	var allowApplied bool
	cmd := &cobra.Command{
		Use:   "squash --from VERSION",
		Short: "Merge a migration and all later ones into one",
		Long: `Merge migration VERSION and every later one into a new migration whose up.sql
runs their up.sql files in order and whose down.sql runs their down.sql files
in reverse order. The new up.sql names the versions it replaces: on a server
where all of them are applied, "migrate apply" marks the squashed migration
applied without running it (and forgets the replaced versions), so staging and
production keep their state; on a fresh database it runs.

When the configured server has some of the squashed migrations applied, squash
refuses unless --allow-applied; with it, the server is marked as above at once.`,
		Example: `  trellis migrate squash --from 1700000000001 --name tutoring_v2 --delete-source
  trellis migrate squash --from 1700000000001 --allow-applied`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, c, err := o.connect()
			if err != nil {
				return err
			}
			dir := p.MigrationsDir(o.database)
			files, err := migrations.Load(dir)
			if err != nil {
				return err
			}
			st, err := migrations.LoadState(cmd.Context(), c.Migrations(), o.database)
			if err != nil {
				return err
			}
			applied := st.Applied(o.database)
			var appliedParts []string
			for _, m := range files {
				if _, ok := applied[m.Version]; ok && m.Version >= opts.From {
					appliedParts = append(appliedParts, strconv.FormatInt(m.Version, 10))
				}
			}
			if len(appliedParts) > 0 && !allowApplied {
				return fmt.Errorf("%s has applied %s of the migrations to squash: squashing them changes what other servers must do; pass --allow-applied to go ahead (servers with all of them applied will be marked, not migrated)",
					c.Endpoint(), strings.Join(appliedParts, ", "))
			}
			opts.Version = migrations.NewVersion(time.Now())
			m, parts, err := migrations.Squash(dir, opts)
			if err != nil {
				return err
			}
			progress(cmd, "squashed %d migrations into %s", len(parts), m.Dir)
			if m.Down == "" {
				progress(cmd, "warning: some squashed migrations had no down.sql, so %s has none", m.Folder())
			}
			if opts.DeleteSource {
				progress(cmd, "deleted the %d squashed migration folders", len(parts))
			}
			if len(appliedParts) > 0 {
				if err := runMigrations(cmd, &o.cliOptions, c, p, o.database, migrations.Request{Version: m.Version, Type: migrations.Up}); err != nil {
					return err
				}
			}
			if o.json() {
				return printJSON(cmd.OutOrStdout(), map[string]any{"version": m.Version, "name": m.Name, "dir": m.Dir, "squashed": len(parts)})
			}
			fmt.Fprintln(cmd.OutOrStdout(), m.Version)
			return nil
		},
	}
	cmd.Flags().Int64Var(&opts.From, "from", 0, "the first version to squash (required)")
	cmd.Flags().StringVar(&opts.Name, "name", "squashed", "the new migration's name")
	cmd.Flags().BoolVar(&opts.DeleteSource, "delete-source", false, "delete the squashed migrations' folders")
	cmd.Flags().BoolVar(&allowApplied, "allow-applied", false, "squash even when the server has some of the migrations applied")
	_ = cmd.MarkFlagRequired("from")
	return cmd
}

func (o *migrateOptions) deleteCmd() *cobra.Command {
	var version int64
	var serverOnly, all bool
	cmd := &cobra.Command{
		Use:   "delete --version VERSION | --all",
		Short: "Delete migrations from the project and the server's record (no SQL runs)",
		Example: `  trellis migrate delete --version 1700000000001
  trellis migrate delete --version 1700000000001 --server   # keep the files
  trellis migrate delete --all --server`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (version == 0) == !all {
				return fmt.Errorf("pass either --version V or --all")
			}
			p, c, err := o.connect()
			if err != nil {
				return err
			}
			dir := p.MigrationsDir(o.database)
			st, err := migrations.LoadState(cmd.Context(), c.Migrations(), o.database)
			if err != nil {
				return err
			}
			versions := []int64{version}
			if all {
				seen := st.Applied(o.database)
				files, err := migrations.Load(dir)
				if err != nil {
					return err
				}
				for _, m := range files {
					seen[m.Version] = false
				}
				versions = versions[:0]
				for v := range seen {
					versions = append(versions, v)
				}
				slices.Sort(versions)
			}
			for _, v := range versions {
				st.Unmark(o.database, v)
			}
			if err := c.Migrations().Apply(cmd.Context(), o.database, "", st.JSON()); err != nil {
				return err
			}
			if !serverOnly {
				for _, v := range versions {
					if m, err := migrations.Delete(dir, v); err == nil {
						progress(cmd, "deleted %s", m.Dir)
					} else if !all && !errors.Is(err, os.ErrNotExist) {
						progress(cmd, "%v", err)
					}
				}
			}
			progress(cmd, "the server's record of %d version(s) is removed", len(versions))
			return nil
		},
	}
	cmd.Flags().Int64Var(&version, "version", 0, "the version to delete")
	cmd.Flags().BoolVar(&all, "all", false, "delete every migration")
	cmd.Flags().BoolVar(&serverOnly, "server", false, "only remove the server's record, keep the files")
	return cmd
}
