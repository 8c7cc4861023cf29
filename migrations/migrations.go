package migrations

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Migration is one migration folder.
type Migration struct {
	Version int64
	Name    string
	// Dir is the migration's folder.
	Dir string
	// Up and Down are the SQL files' paths, "" when the file is absent.
	Up, Down string
}

// Load lists the migrations in dir in version order. Folders whose names do
// not start with "<version>_" are an error, as are two migrations with one
// version.
func Load(dir string) ([]Migration, error) {
	entries, err := os.ReadDir(dir)
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
	return m, nil
}
