// Command trellis serves a Hasura-compatible GraphQL API over PostgreSQL,
// and manages a project's metadata, migrations and seeds as the Hasura CLI
// does.
package main

import (
	"errors"
	"fmt"
	"os"
)

// buildVersion is set at build time with -ldflags "-X main.buildVersion=…".
// The stock Hasura CLI reads it from /v1/version and expects "v2.…".
var buildVersion = "v2.48.0-trellis.0.1.0-dev"

func main() {
	if err := newRootCmd().Execute(); err != nil {
		var exit *exitError
		if errors.As(err, &exit) {
			if exit.msg != "" {
				fmt.Fprintln(os.Stderr, "error:", exit.msg)
			}
			os.Exit(exit.code)
		}
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}
