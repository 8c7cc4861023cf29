package sqlgen_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trellis-gql/trellis/engine/dataapi"
	"github.com/trellis-gql/trellis/metadata"
)

// dmlModel is the golden catalog and metadata (see golden_test.go),
// resolved.
func dmlModel(t testing.TB) *metadata.Model {
	t.Helper()
	var md metadata.Metadata
	if err := json.Unmarshal([]byte(testMetadata), &md); err != nil {
		t.Fatal(err)
	}
	m := metadata.Resolve(&md, testCatalog())
	if len(m.Inconsistencies) > 0 {
		t.Fatalf("inconsistent test metadata: %+v", m.Inconsistencies)
	}
	return m
}

// TestDMLGolden compiles each testdata/dml/<case>.txt — a line with the
// data API request type, its args (JSON), then "----", then the expected
// SQL and arguments or error — through dataapi.Compile and compares.
// go test ./engine/sqlgen -update rewrites them.
func TestDMLGolden(t *testing.T) {
	m := dmlModel(t)
	files, err := filepath.Glob("testdata/dml/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			input, want, _ := strings.Cut(string(raw), "----\n")
			got := compileDML(m, input)
			if *update {
				if err := os.WriteFile(file, []byte(input+"----\n"+got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != want {
				t.Errorf("%s: got\n%s\nwant\n%s", file, got, want)
			}
		})
	}
}

// compileDML prints the statement of a data API request, or its error.
func compileDML(m *metadata.Model, input string) string {
	typ, args, _ := strings.Cut(input, "\n")
	st, err := dataapi.Compile(m, strings.TrimSpace(typ), json.RawMessage(args))
	if err != nil {
		var apiErr *metadata.APIError
		if errors.As(err, &apiErr) {
			return fmt.Sprintf("error %d %s at %s: %s\n", apiErr.Status, apiErr.Code, apiErr.Path, apiErr.Message)
		}
		return fmt.Sprintf("error: %v\n", err)
	}
	var b strings.Builder
	b.WriteString(st.SQL)
	b.WriteString("\n")
	for i, a := range st.Args {
		fmt.Fprintf(&b, "$%d = %#v\n", i+1, a)
	}
	return b.String()
}
