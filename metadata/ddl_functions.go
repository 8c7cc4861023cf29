package metadata

import (
	"sort"
	"strings"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// What run_sql DDL may not do to tracked functions, as Hasura checks after
// running it (Hasura.Backends.Postgres.DDL.RunSQL, runTxWithMetadataCheck):
// overload one, or make one VOLATILE. Both refuse the whole run_sql, which
// is then rolled back. Only the tracked functions of the primary source
// that were built (a single function of that name before the DDL) are
// checked; computed fields' functions are not.

// OverloadedFunctions returns the error for tracked functions the DDL
// overloaded, or nil when it overloaded none.
func OverloadedFunctions(md *Metadata, before, after *catalog.Catalog) *APIError {
	var names []string
	for _, f := range trackedFunctions(md, before) {
		if len(after.Function(f.Name)) > 1 {
			names = append(names, tableText(f.Name))
		}
	}
	if len(names) == 0 {
		return nil
	}
	sort.Strings(names)
	return Errorf(CodeNotSupported, "$", "the following tracked function(s) cannot be overloaded: %s", strings.Join(names, ", "))
}

// VolatileFunctions returns the error for the first tracked function the
// DDL turned VOLATILE (same function, by OID, under any name), or nil.
func VolatileFunctions(md *Metadata, before, after *catalog.Catalog) *APIError {
	for _, f := range trackedFunctions(md, before) {
		now := functionByOID(after, f)
		if f.Volatility != 'v' && now != nil && now.Volatility == 'v' {
			return Errorf(CodeNotSupported, "$", "type of function %s is altered to \"VOLATILE\" which is not supported now", dquote(tableText(f.Name)))
		}
	}
	return nil
}

// trackedFunctions returns, in metadata order, the functions tracked in
// md's primary source that had a single definition in cat.
func trackedFunctions(md *Metadata, cat *catalog.Catalog) []*catalog.Function {
	s := pickSource(md)
	if s == nil || cat == nil {
		return nil
	}
	var out []*catalog.Function
	for _, raw := range s.Functions {
		if n, ok := functionName(raw); ok && len(cat.Function(n)) == 1 {
			out = append(out, cat.Function(n)[0])
		}
	}
	return out
}

// functionByOID finds f in cat: under its name, else under any (a renamed
// function keeps its OID).
func functionByOID(cat *catalog.Catalog, f *catalog.Function) *catalog.Function {
	for _, g := range cat.Function(f.Name) {
		if g.OID == f.OID {
			return g
		}
	}
	for _, overloads := range cat.Functions {
		for _, g := range overloads {
			if g.OID == f.OID {
				return g
			}
		}
	}
	return nil
}
