package sqlgen_test

import (
	"encoding/json"
	"errors"
	"fmt"
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
	runGolden(t, "testdata/dml/*.txt", func(input string) string { return compileDML(m, input) })
}

// compileDML prints the statement of a data API request, or its error.
func compileDML(m *metadata.Model, input string) string {
	typ, args, _ := strings.Cut(input, "\n")
	st, err := dataapi.Compile(m, dataapi.Access{}, strings.TrimSpace(typ), json.RawMessage(args))
	if err != nil {
		var apiErr *metadata.APIError
		if errors.As(err, &apiErr) {
			return fmt.Sprintf("error %d %s at %s: %s\n", apiErr.Status, apiErr.Code, apiErr.Path, apiErr.Message)
		}
		return fmt.Sprintf("error: %v\n", err)
	}
	return printStatement(st)
}
