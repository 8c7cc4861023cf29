// Package pgtest is the test harness that gives tests a real PostgreSQL.
//
// Input: the environment of the test process. Output: connection strings,
// one server per test process and one new, empty database per call of
// NewDatabase, dropped when the test ends.
//
// The server comes from, in order:
//
//  1. TRELLIS_TEST_DATABASE_URL: an existing server on which the harness may
//     create and drop databases (the URL's user needs CREATEDB);
//  2. a Docker engine that answers a ping: a postgis/postgis:15-3.4
//     container with wal_level=logical, started once per process and
//     removed when the process ends (or after an hour at the latest);
//  3. the repository's throwaway cluster: `hack/pg.sh start`, run once per
//     process (it installs PostgreSQL when it is missing and may do so).
//
// Invariants: the package is imported only from _test.go files; database
// names are unique per process and call (trellis_t_<pid>_<n>); a failure to
// obtain a server fails the test with t.Fatal, it never skips.
package pgtest
