package migrations

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Replaced is one migration that a squashed migration took the place of.
type Replaced struct {
	Version int64
	// Parts are the versions Version itself had replaced, when it was a
	// squashed migration too: a server that applied all of them had, in
	// effect, applied Version.
	Parts []int64
}

// markerPrefix starts the line of up.sql that lists what a squashed
// migration replaces. It is an SQL comment, so the Hasura CLI, psql and the
// server run the file unchanged.
const markerPrefix = "-- trellis:replaces "

// SquashOptions says how to squash.
type SquashOptions struct {
	// From is the first version squashed; it and every later migration
	// are merged.
	From int64
	// Name and Version are the new migration's; Name defaults to
	// "squashed".
	Name    string
	Version int64
	// DeleteSource removes the squashed migrations' folders.
	DeleteSource bool
}

// Squash merges the migrations of dir from opts.From on into one new
// migration: its up.sql runs their up.sql files in order, its down.sql
// their down.sql files in reverse order (written only when each has one).
// The new up.sql names what it replaces, so that applying it where its
// parts were applied only marks it (see Plan). It returns the new
// migration and the squashed ones.
func Squash(dir string, opts SquashOptions) (Migration, []Migration, error) {
	list, err := Load(dir)
	if err != nil {
		return Migration{}, nil, err
	}
	if _, ok := Find(list, opts.From); !ok {
		return Migration{}, nil, fmt.Errorf("no migration with version %d in %s", opts.From, dir)
	}
	var parts []Migration
	for _, m := range list {
		if m.Version >= opts.From {
			parts = append(parts, m)
		}
	}
	if opts.Version <= parts[len(parts)-1].Version {
		return Migration{}, nil, fmt.Errorf("the squashed migration's version %d must be later than %d, the last one it replaces", opts.Version, parts[len(parts)-1].Version)
	}
	if opts.Name == "" {
		opts.Name = "squashed"
	}
	up, down, err := squashSQL(parts)
	if err != nil {
		return Migration{}, nil, err
	}
	m, err := Create(dir, opts.Version, opts.Name, up, down)
	if err != nil {
		return Migration{}, nil, err
	}
	if down == nil {
		if err := os.Remove(m.Down); err != nil {
			return Migration{}, nil, err
		}
		m.Down = ""
	}
	if opts.DeleteSource {
		for _, p := range parts {
			if err := os.RemoveAll(p.Dir); err != nil {
				return m, parts, err
			}
		}
	}
	return m, parts, nil
}

// squashSQL is the text of the squashed up.sql and down.sql (down is nil
// when a part has no down.sql).
func squashSQL(parts []Migration) (up, down []byte, err error) {
	var u bytes.Buffer
	u.WriteString("-- Squashed by trellis migrate squash from these migrations, in order:\n")
	for _, p := range parts {
		fmt.Fprintf(&u, "--   %s\n", p.Folder())
	}
	u.WriteString(markerLine(parts) + "\n")
	for _, p := range parts {
		if p.Up == "" {
			continue
		}
		if err := appendFile(&u, p, p.Up, "up.sql"); err != nil {
			return nil, nil, err
		}
	}
	var d bytes.Buffer
	d.WriteString("-- Squashed by trellis migrate squash: the down migrations in reverse order.\n")
	for i := len(parts) - 1; i >= 0; i-- {
		p := parts[i]
		if p.Down == "" {
			return u.Bytes(), nil, nil
		}
		if err := appendFile(&d, p, p.Down, "down.sql"); err != nil {
			return nil, nil, err
		}
	}
	return u.Bytes(), d.Bytes(), nil
}

func appendFile(b *bytes.Buffer, m Migration, path, file string) error {
	body, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(b, "\n-- %s/%s\n", m.Folder(), file)
	b.Write(body)
	if len(body) > 0 && body[len(body)-1] != '\n' {
		b.WriteByte('\n')
	}
	return nil
}

// markerLine lists the parts: "V" for a plain migration, "V=A,B" for a
// squashed one with the leaves it replaced.
func markerLine(parts []Migration) string {
	tokens := make([]string, len(parts))
	for i, p := range parts {
		tokens[i] = strconv.FormatInt(p.Version, 10)
		var leaves []string
		for _, r := range p.Replaces {
			for _, v := range r.leaves() {
				leaves = append(leaves, strconv.FormatInt(v, 10))
			}
		}
		if len(leaves) > 0 {
			tokens[i] += "=" + strings.Join(leaves, ",")
		}
	}
	return markerPrefix + strings.Join(tokens, " ")
}

// leaves are the plain migrations r stands for.
func (r Replaced) leaves() []int64 {
	if len(r.Parts) > 0 {
		return r.Parts
	}
	return []int64{r.Version}
}

// readReplaces reads the marker line among the leading comment lines of
// an up.sql file.
func readReplaces(path string) ([]Replaced, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "--") {
			return nil, nil
		}
		if rest, ok := strings.CutPrefix(line, markerPrefix); ok {
			return parseMarker(rest)
		}
	}
	return nil, nil
}

func parseMarker(s string) ([]Replaced, error) {
	var out []Replaced
	for _, tok := range strings.Fields(s) {
		head, tail, nested := strings.Cut(tok, "=")
		v, err := strconv.ParseInt(head, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("up.sql: bad %q line: %q is not a version", strings.TrimSpace(markerPrefix), head)
		}
		r := Replaced{Version: v}
		if nested {
			for _, p := range strings.Split(tail, ",") {
				pv, err := strconv.ParseInt(p, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("up.sql: bad %q line: %q is not a version", strings.TrimSpace(markerPrefix), p)
				}
				r.Parts = append(r.Parts, pv)
			}
		}
		out = append(out, r)
	}
	return out, nil
}
