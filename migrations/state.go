package migrations

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
)

// State is the CLI's catalog state on one server (the cli_state document
// of get_catalog_state). It records, per database, the versions applied and
// whether each is dirty, and keeps every other key as it was read.
type State struct {
	// other holds the document's keys other than "migrations".
	other      map[string]json.RawMessage
	migrations map[string]map[string]bool
}

// Keys of the cli_state document, as the Hasura CLI writes them.
const (
	keyMigrations    = "migrations"
	keySettings      = "settings"
	keyCopyCompleted = "isStateCopyCompleted"
)

// ParseState reads a cli_state document; null and {} are an empty state.
func ParseState(raw json.RawMessage) (*State, error) {
	s := &State{other: map[string]json.RawMessage{}, migrations: map[string]map[string]bool{}}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return s, nil
	}
	if err := json.Unmarshal(raw, &s.other); err != nil {
		return nil, fmt.Errorf("the server's CLI state is not a JSON object: %w", err)
	}
	if m, ok := s.other[keyMigrations]; ok {
		delete(s.other, keyMigrations)
		if string(m) != "null" {
			if err := json.Unmarshal(m, &s.migrations); err != nil {
				return nil, fmt.Errorf("the server's CLI state has a bad \"migrations\" object: %w", err)
			}
		}
	}
	return s, nil
}

// Applied returns the versions applied to database, each with its dirty
// flag.
func (s *State) Applied(database string) map[int64]bool {
	out := map[int64]bool{}
	for v, dirty := range s.migrations[database] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			out[n] = dirty
		}
	}
	return out
}

// Mark records version v as applied (and clean) to database.
func (s *State) Mark(database string, v int64) {
	if s.migrations[database] == nil {
		s.migrations[database] = map[string]bool{}
	}
	s.migrations[database][strconv.FormatInt(v, 10)] = false
}

// Unmark forgets version v of database.
func (s *State) Unmark(database string, v int64) {
	delete(s.migrations[database], strconv.FormatInt(v, 10))
}

// CopyCompleted reports whether the versions of hdb_catalog.schema_migrations
// (config v2) were already taken over.
func (s *State) CopyCompleted() bool {
	var done bool
	return json.Unmarshal(s.other[keyCopyCompleted], &done) == nil && done
}

// JSON is the document to store with set_catalog_state. Keys are sorted,
// so equal states give equal text.
func (s *State) JSON() json.RawMessage {
	doc := make(map[string]any, len(s.other)+2)
	for k, v := range s.other {
		doc[k] = v
	}
	if _, ok := doc[keySettings]; !ok {
		doc[keySettings] = map[string]string{"migration_mode": "true"}
	}
	doc[keyCopyCompleted] = true
	doc[keyMigrations] = s.migrations
	out, err := json.Marshal(doc)
	if err != nil { // only raw values read from JSON are in doc
		panic(fmt.Sprintf("migrations: encoding the CLI state: %v", err))
	}
	return out
}

// sortedVersions lists the keys of m in order.
func sortedVersions(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for v := range m {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
