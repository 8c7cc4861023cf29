package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/spf13/cobra"

	"github.com/trellis-gql/trellis/metadata"
	"github.com/trellis-gql/trellis/metadata/apiclient"
)

func newMetadataCmd() *cobra.Command {
	o := &cliOptions{}
	cmd := &cobra.Command{
		Use:     "metadata",
		Aliases: []string{"md"},
		Short:   "Apply, export, compare and reload the project's metadata",
		Example: "  trellis metadata export\n  trellis metadata diff && trellis metadata apply",
		Long: `The metadata directory (config.yaml's metadata_directory, in the Hasura CLI's
version 3 layout) describes the GraphQL API: tracked tables, relationships,
permissions, actions. These commands move it between the project and the
server.`,
	}
	o.bind(cmd.PersistentFlags())
	cmd.AddCommand(metadataApplyCmd(o), metadataExportCmd(o), metadataDiffCmd(o), metadataReloadCmd(o),
		metadataInconsistencyCmd(o), metadataClearCmd(o))
	return cmd
}

func metadataApplyCmd(o *cliOptions) *cobra.Command {
	var allow bool
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Replace the server's metadata with the project's",
		Long: `Replace the server's metadata with the metadata directory, in one step
(replace_metadata). Metadata that does not match the database is refused and
nothing changes, unless --allow-inconsistent.`,
		Example: "  trellis metadata apply\n  trellis metadata apply --allow-inconsistent",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, c, err := o.connect()
			if err != nil {
				return err
			}
			return applyMetadata(cmd, o, c, p.MetadataDir(), allow)
		},
	}
	cmd.Flags().BoolVar(&allow, "allow-inconsistent", false, "apply even when some objects do not match the database")
	return cmd
}

func applyMetadata(cmd *cobra.Command, o *cliOptions, c *apiclient.Client, dir string, allow bool) error {
	doc, err := metadata.DirDocument(dir)
	if err != nil {
		return err
	}
	res, err := c.ReplaceMetadata(cmd.Context(), doc, allow)
	if err != nil {
		if incs := refusedInconsistencies(err); len(incs) > 0 {
			printInconsistencies(cmd, o, incs)
			return &exitError{code: 1, msg: fmt.Sprintf("the metadata was not applied: %d object(s) do not match the database (--allow-inconsistent applies it anyway)", len(incs))}
		}
		return fmt.Errorf("applying metadata: %w", err)
	}
	progress(cmd, "metadata applied from %s", dir)
	if !res.IsConsistent {
		printInconsistencies(cmd, o, res.InconsistentObjects)
		progress(cmd, "warning: the server's metadata is inconsistent (%d object(s)); see `trellis metadata inconsistency list`", len(res.InconsistentObjects))
	}
	return nil
}

// refusedInconsistencies reads the objects of Hasura's "cannot continue
// due to inconsistent metadata" refusal.
func refusedInconsistencies(err error) []apiclient.Inconsistency {
	var apiErr *apiclient.Error
	if !errors.As(err, &apiErr) || len(apiErr.Internal) == 0 {
		return nil
	}
	var incs []apiclient.Inconsistency
	if json.Unmarshal(apiErr.Internal, &incs) != nil {
		return nil
	}
	return incs
}

func metadataExportCmd(o *cliOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "export",
		Short: "Write the server's metadata into the project's metadata directory",
		Long: `Write the server's metadata into the metadata directory, in the Hasura CLI's
layout and a stable format: exporting twice gives identical files. Files of
objects the server no longer has are removed.`,
		Example: "  trellis metadata export",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, c, err := o.connect()
			if err != nil {
				return err
			}
			files, err := serverFiles(cmd, c)
			if err != nil {
				return err
			}
			changed, err := metadata.WriteDir(p.MetadataDir(), files)
			if err != nil {
				return err
			}
			for _, f := range changed {
				progress(cmd, "wrote %s", f)
			}
			progress(cmd, "metadata exported to %s (%d file(s) changed)", p.MetadataDir(), len(changed))
			return nil
		},
	}
}

// serverFiles renders the server's metadata as directory files.
func serverFiles(cmd *cobra.Command, c *apiclient.Client) (map[string][]byte, error) {
	doc, _, err := c.ExportMetadata(cmd.Context())
	if err != nil {
		return nil, fmt.Errorf("exporting metadata: %w", err)
	}
	return metadata.RenderDir(doc)
}

// fileDiff is one file that differs between the server and the project.
type fileDiff struct {
	File   string `json:"file"`
	Status string `json:"status"` // added, removed or changed (by apply)
	Diff   string `json:"diff"`
}

func metadataDiffCmd(o *cliOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "diff",
		Short: "Show what `metadata apply` would change on the server (exit 1 when anything)",
		Long: `Compare the server's metadata with the project's, both in the directory
format, and print a unified diff per file: "-" lines are on the server, "+"
lines are what apply would make of them. The exit status is 0 when they are
the same and 1 when they differ, so a pipeline can check for drift.`,
		Example: "  trellis metadata diff\n  trellis metadata diff --output json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, c, err := o.connect()
			if err != nil {
				return err
			}
			doc, err := metadata.DirDocument(p.MetadataDir())
			if err != nil {
				return err
			}
			local, err := metadata.RenderDir(doc)
			if err != nil {
				return err
			}
			remote, err := serverFiles(cmd, c)
			if err != nil {
				return err
			}
			diffs := diffFiles(remote, local)
			if o.json() {
				if err := printJSON(cmd.OutOrStdout(), diffs); err != nil {
					return err
				}
			} else {
				for _, d := range diffs {
					fmt.Fprint(cmd.OutOrStdout(), d.Diff)
				}
			}
			if len(diffs) > 0 {
				progress(cmd, "%d file(s) differ", len(diffs))
				return &exitError{code: 1}
			}
			progress(cmd, "the server's metadata is the project's")
			return nil
		},
	}
}

// diffFiles compares the file sets, in file name order.
func diffFiles(server, project map[string][]byte) []fileDiff {
	names := map[string]bool{}
	for n := range server {
		names[n] = true
	}
	for n := range project {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	out := []fileDiff{}
	for _, n := range sorted {
		a, inServer := server[n]
		b, inProject := project[n]
		if inServer && inProject && bytes.Equal(a, b) {
			continue
		}
		status := "changed"
		switch {
		case !inServer:
			status = "added"
		case !inProject:
			status = "removed"
		}
		d := udiff.Unified("server/"+n, "project/"+n, string(a), string(b))
		out = append(out, fileDiff{File: n, Status: status, Diff: d})
	}
	return out
}

func metadataReloadCmd(o *cliOptions) *cobra.Command {
	return &cobra.Command{
		Use:     "reload",
		Short:   "Make the server reread the database schema and its metadata",
		Example: "  trellis metadata reload",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, c, err := o.connect()
			if err != nil {
				return err
			}
			return reloadMetadata(cmd, o, c, true)
		},
	}
}

// reloadMetadata reloads; an inconsistent result is a warning, or an
// error unless tolerate.
func reloadMetadata(cmd *cobra.Command, o *cliOptions, c *apiclient.Client, tolerate bool) error {
	res, err := c.ReloadMetadata(cmd.Context())
	if err != nil {
		return fmt.Errorf("reloading metadata: %w", err)
	}
	progress(cmd, "metadata reloaded")
	if res.IsConsistent {
		return nil
	}
	printInconsistencies(cmd, o, res.InconsistentObjects)
	msg := fmt.Sprintf("the metadata is inconsistent: %d object(s) do not match the database", len(res.InconsistentObjects))
	if tolerate {
		progress(cmd, "warning: %s", msg)
		return nil
	}
	return &exitError{code: 1, msg: msg}
}

func metadataInconsistencyCmd(o *cliOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "inconsistency",
		Aliases: []string{"inconsistencies", "ic"},
		Short:   "List or drop the metadata objects that do not match the database",
		Example: "  trellis metadata ic list\n  trellis metadata ic drop",
	}
	list := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the inconsistent objects (exit 1 when there are any)",
		Example: "  trellis metadata inconsistency list\n  trellis metadata ic list --output json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, c, err := o.connect()
			if err != nil {
				return err
			}
			res, err := c.InconsistentMetadata(cmd.Context())
			if err != nil {
				return err
			}
			if o.json() {
				if err := printJSON(cmd.OutOrStdout(), res.InconsistentObjects); err != nil {
					return err
				}
			} else {
				printInconsistencyTable(cmd, res.InconsistentObjects)
			}
			if !res.IsConsistent {
				return &exitError{code: 1}
			}
			progress(cmd, "the metadata is consistent")
			return nil
		},
	}
	drop := &cobra.Command{
		Use:     "drop",
		Short:   "Remove the inconsistent objects from the server's metadata",
		Example: "  trellis metadata inconsistency drop",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, c, err := o.connect()
			if err != nil {
				return err
			}
			if err := c.DropInconsistentMetadata(cmd.Context()); err != nil {
				return err
			}
			progress(cmd, "inconsistent objects dropped")
			return nil
		},
	}
	cmd.AddCommand(list, drop)
	return cmd
}

func metadataClearCmd(o *cliOptions) *cobra.Command {
	return &cobra.Command{
		Use:     "clear",
		Aliases: []string{"reset"},
		Short:   "Reset the server's metadata to empty (the database is untouched)",
		Example: "  trellis metadata clear",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, c, err := o.connect()
			if err != nil {
				return err
			}
			if err := c.ClearMetadata(cmd.Context()); err != nil {
				return err
			}
			progress(cmd, "metadata cleared")
			return nil
		},
	}
}

// printInconsistencies writes the objects to stderr, one a line (or as
// JSON on stdout with --output json).
func printInconsistencies(cmd *cobra.Command, o *cliOptions, incs []apiclient.Inconsistency) {
	if o.json() {
		_ = printJSON(cmd.OutOrStdout(), incs)
		return
	}
	for _, i := range incs {
		progress(cmd, "inconsistent %s %s: %s", i.Type, i.Name, i.Reason)
	}
}

func printInconsistencyTable(cmd *cobra.Command, incs []apiclient.Inconsistency) {
	w := newTable(cmd.OutOrStdout())
	fmt.Fprintln(w, "NAME\tTYPE\tREASON")
	for _, i := range incs {
		fmt.Fprintf(w, "%s\t%s\t%s\n", i.Name, i.Type, i.Reason)
	}
	_ = w.Flush()
}
