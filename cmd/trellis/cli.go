package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/trellis-gql/trellis/metadata/apiclient"
	"github.com/trellis-gql/trellis/metadata/project"
)

// cliOptions are the flags every project command takes.
type cliOptions struct {
	projectDir  string
	endpoint    string
	adminSecret string
	envFile     string
	output      string
	timeout     time.Duration
}

func (o *cliOptions) bind(fs *pflag.FlagSet) {
	fs.StringVar(&o.projectDir, "project", "", "the project folder (default: the folder holding config.yaml, from the current one up)")
	fs.StringVar(&o.endpoint, "endpoint", "", "the server's URL (env TRELLIS_ENDPOINT, HASURA_GRAPHQL_ENDPOINT; else config.yaml)")
	fs.StringVar(&o.adminSecret, "admin-secret", "", "the server's admin secret (env TRELLIS_ADMIN_SECRET, HASURA_GRAPHQL_ADMIN_SECRET; else config.yaml)")
	fs.StringVar(&o.envFile, "envfile", ".env", "a KEY=VALUE file, relative to the project, whose variables are used when not set already")
	fs.StringVarP(&o.output, "output", "o", "", "output format of data: json (default: plain text)")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "time limit of each request to the server")
}

// project finds the project and applies the environment and the flags to
// its settings: flags > TRELLIS_* > HASURA_GRAPHQL_* > config.yaml.
func (o *cliOptions) project() (*project.Project, error) {
	if o.output != "" && o.output != "json" {
		return nil, fmt.Errorf("--output must be json, not %q", o.output)
	}
	var p *project.Project
	var err error
	if o.projectDir != "" {
		p, err = project.Load(o.projectDir)
	} else {
		p, err = project.Find(".")
	}
	if err != nil {
		return nil, err
	}
	envFile := o.envFile
	if !filepath.IsAbs(envFile) {
		envFile = filepath.Join(p.Dir, envFile)
	}
	vars, err := project.ReadEnvFile(envFile)
	if err != nil {
		return nil, err
	}
	lookup := func(names ...string) string {
		for _, n := range names {
			if v, ok := os.LookupEnv(n); ok && v != "" {
				return v
			}
			if v := vars[n]; v != "" {
				return v
			}
		}
		return ""
	}
	for _, s := range []struct {
		flag string
		dst  *string
		env  []string
	}{
		{o.endpoint, &p.Config.Endpoint, []string{"TRELLIS_ENDPOINT", "HASURA_GRAPHQL_ENDPOINT"}},
		{o.adminSecret, &p.Config.AdminSecret, []string{"TRELLIS_ADMIN_SECRET", "HASURA_GRAPHQL_ADMIN_SECRET"}},
	} {
		if s.flag != "" {
			*s.dst = s.flag
		} else if v := lookup(s.env...); v != "" {
			*s.dst = v
		}
	}
	return p, nil
}

// connect finds the project and a client of its server.
func (o *cliOptions) connect() (*project.Project, *apiclient.Client, error) {
	p, err := o.project()
	if err != nil {
		return nil, nil, err
	}
	c, err := o.client(p)
	return p, c, err
}

// client is a client of p's server.
func (o *cliOptions) client(p *project.Project) (*apiclient.Client, error) {
	return apiclient.New(apiclient.Config{Endpoint: p.Config.Endpoint, AdminSecret: p.Config.AdminSecret, Timeout: o.timeout})
}

// json reports whether data is to be printed as JSON.
func (o *cliOptions) json() bool { return o.output == "json" }

// printJSON writes v as indented JSON.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// progress writes one plain progress line to the command's stderr.
func progress(cmd *cobra.Command, format string, args ...any) {
	fmt.Fprintf(cmd.ErrOrStderr(), format+"\n", args...)
}

// exitError ends the command with a status and a message (none when
// the command printed its own).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }
