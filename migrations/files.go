package migrations

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migration is one migration folder.
type Migration struct {
	Version int64
	Name    string
	// Dir is the migration's folder.
	Dir string
	// Up and Down are the SQL files' paths, "" when the file is absent.
	Up, Down string
	// Replaces lists the migrations a squashed migration took the place
	// of (read from the marker line Squash writes into up.sql), in order.
	Replaces []Replaced
}

// Folder is the migration's folder name, <version>_<name>.
func (m Migration) Folder() string { return filepath.Base(m.Dir) }

// Load lists the migrations in dir in version order. A missing dir has
// none. Folders whose names do not start with "<version>_" are an error, as
// are two migrations with one version.
func Load(dir string) ([]Migration, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading migrations: %w", err)
	}
	var out []Migration
	seen := map[int64]string{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		m, err := parseDir(dir, e.Name())
		if err != nil {
			return nil, err
		}
		if other, dup := seen[m.Version]; dup {
			return nil, fmt.Errorf("migrations %q and %q have the same version %d", other, e.Name(), m.Version)
		}
		seen[m.Version] = e.Name()
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

func parseDir(dir, name string) (Migration, error) {
	v, rest, _ := strings.Cut(name, "_")
	version, err := strconv.ParseInt(v, 10, 64)
	if err != nil || version <= 0 {
		return Migration{}, fmt.Errorf("migration folder %q: the name must start with a version number and \"_\"", name)
	}
	m := Migration{Version: version, Name: rest, Dir: filepath.Join(dir, name)}
	for _, f := range []struct {
		file string
		into *string
	}{{"up.sql", &m.Up}, {"down.sql", &m.Down}} {
		p := filepath.Join(m.Dir, f.file)
		if _, err := os.Stat(p); err == nil {
			*f.into = p
		} else if !errors.Is(err, fs.ErrNotExist) {
			return Migration{}, fmt.Errorf("migration %q: %w", name, err)
		}
	}
	if m.Up == "" && m.Down == "" {
		return Migration{}, fmt.Errorf("migration folder %q has neither up.sql nor down.sql", name)
	}
	if m.Up != "" {
		if m.Replaces, err = readReplaces(m.Up); err != nil {
			return Migration{}, fmt.Errorf("migration %q: %w", name, err)
		}
	}
	return m, nil
}

// NewVersion is the version of a migration created at t: Unix time in
// milliseconds, as the Hasura CLI numbers them.
func NewVersion(t time.Time) int64 { return t.UnixMilli() }

// validName is what a migration's name may hold: it becomes a folder name.
var validName = regexp.MustCompile(`^[A-Za-z0-9_\-.]+$`)

// Create writes the folder <dir>/<version>_<name> with up.sql and
// down.sql. It refuses a name that is not a plain file name and a version
// that exists already.
func Create(dir string, version int64, name string, up, down []byte) (Migration, error) {
	if !validName.MatchString(name) {
		return Migration{}, fmt.Errorf("migration name %q: use letters, digits, '_', '-' and '.'", name)
	}
	existing, err := Load(dir)
	if err != nil {
		return Migration{}, err
	}
	for _, m := range existing {
		if m.Version == version {
			return Migration{}, fmt.Errorf("a migration with version %d exists already: %s", version, m.Dir)
		}
	}
	m := Migration{Version: version, Name: name, Dir: filepath.Join(dir, fmt.Sprintf("%d_%s", version, name))}
	if err := os.MkdirAll(m.Dir, 0o755); err != nil {
		return Migration{}, err
	}
	m.Up, m.Down = filepath.Join(m.Dir, "up.sql"), filepath.Join(m.Dir, "down.sql")
	if err := os.WriteFile(m.Up, up, 0o644); err != nil {
		return Migration{}, err
	}
	if err := os.WriteFile(m.Down, down, 0o644); err != nil {
		return Migration{}, err
	}
	m.Replaces, err = readReplaces(m.Up)
	return m, err
}

// Find returns the migration of version v.
func Find(list []Migration, v int64) (Migration, bool) {
	for _, m := range list {
		if m.Version == v {
			return m, true
		}
	}
	return Migration{}, false
}

// Delete removes the folder of migration version v from dir.
func Delete(dir string, v int64) (Migration, error) {
	list, err := Load(dir)
	if err != nil {
		return Migration{}, err
	}
	m, ok := Find(list, v)
	if !ok {
		return Migration{}, fmt.Errorf("no migration with version %d in %s", v, dir)
	}
	return m, os.RemoveAll(m.Dir)
}
