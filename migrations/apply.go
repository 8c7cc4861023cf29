package migrations

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
	"unicode/utf8"
)

// Server is what migrations need of a server: its CLI state and a way to
// run SQL and store a new state.
type Server interface {
	// CLIState returns the server's cli_state document.
	CLIState(ctx context.Context) (json.RawMessage, error)
	// LegacyVersions returns the versions recorded in
	// hdb_catalog.schema_migrations by config v2 projects, with their dirty
	// flags; ok is false when that table does not exist.
	LegacyVersions(ctx context.Context) (versions map[int64]bool, ok bool, err error)
	// Apply runs sql ("" for none) on database and then stores state, in
	// one transaction where the server allows it. A failure of the SQL is
	// a *SQLError.
	Apply(ctx context.Context, database, sql string, state json.RawMessage) error
}

// SQLError is a statement of a migration that the database refused.
type SQLError struct {
	Message, Code string
	// Position is the 1-based character offset of the error in the SQL
	// text, 0 when the server did not tell.
	Position int
}

func (e *SQLError) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("%s (SQLSTATE %s)", e.Message, e.Code)
	}
	return e.Message
}

// StepError is a step that failed; nothing of it was applied.
type StepError struct {
	Step Step
	// File is the SQL file's path; Line and Column locate the error in it
	// (0 when unknown).
	File         string
	Line, Column int
	Err          error
}

func (e *StepError) Error() string {
	loc := e.File
	if loc == "" {
		loc = e.Step.Migration.Folder()
	}
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d:%d", loc, e.Line, e.Column)
	}
	return fmt.Sprintf("migration %s (%s) failed and was rolled back: %s: %v", e.Step.Migration.Folder(), e.Step.Direction, loc, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// LoadState reads the server's state. When the CLI state was never
// copied from a config v2 project's hdb_catalog.schema_migrations and that
// table exists, its versions are taken as database's (the Hasura CLI does
// the same); they are stored with the next change.
func LoadState(ctx context.Context, srv Server, database string) (*State, error) {
	raw, err := srv.CLIState(ctx)
	if err != nil {
		return nil, err
	}
	st, err := ParseState(raw)
	if err != nil {
		return nil, err
	}
	if st.CopyCompleted() {
		return st, nil
	}
	legacy, ok, err := srv.LegacyVersions(ctx)
	if err != nil || !ok {
		return st, err
	}
	for v := range legacy {
		st.Mark(database, v)
	}
	return st, nil
}

// Applier runs steps on a server for one database.
type Applier struct {
	Server   Server
	Database string
	// Progress, when set, is told of each step once it is done.
	Progress func(s Step, took time.Duration)
}

// Run carries out steps in order, each in its own transaction, and stops
// at the first failure with a *StepError.
func (a *Applier) Run(ctx context.Context, steps []Step) error {
	for _, s := range steps {
		start := time.Now()
		if err := a.run(ctx, s); err != nil {
			return err
		}
		if a.Progress != nil {
			a.Progress(s, time.Since(start))
		}
	}
	return nil
}

func (a *Applier) run(ctx context.Context, s Step) error {
	st, err := LoadState(ctx, a.Server, a.Database)
	if err != nil {
		return err
	}
	switch {
	case s.Direction == Up && s.Adopt:
		for _, r := range s.Migration.Replaces {
			st.Unmark(a.Database, r.Version)
			for _, v := range r.Parts {
				st.Unmark(a.Database, v)
			}
		}
		st.Mark(a.Database, s.Migration.Version)
	case s.Direction == Up:
		st.Mark(a.Database, s.Migration.Version)
	default:
		st.Unmark(a.Database, s.Migration.Version)
	}
	var sql, file string
	if s.Execute {
		file = s.Migration.Up
		if s.Direction == Down {
			file = s.Migration.Down
		}
		body, err := os.ReadFile(file)
		if err != nil {
			return &StepError{Step: s, File: file, Err: err}
		}
		sql = string(body)
	}
	if err := a.Server.Apply(ctx, a.Database, sql, st.JSON()); err != nil {
		se := &StepError{Step: s, File: file, Err: err}
		var sqlErr *SQLError
		if errors.As(err, &sqlErr) && sqlErr.Position > 0 {
			se.Line, se.Column = LineColumn(sql, sqlErr.Position)
		}
		return se
	}
	return nil
}

// LineColumn converts a 1-based character offset into text to a 1-based
// line and column.
func LineColumn(text string, pos int) (line, col int) {
	line, col = 1, 1
	for i := 0; i < len(text) && pos > 1; pos-- {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// Row is one line of `migrate status`.
type Row struct {
	Version int64  `json:"version"`
	Name    string `json:"name"`
	// InFiles: a folder exists; InDatabase: the server has it applied.
	InFiles    bool `json:"source_status"`
	InDatabase bool `json:"database_status"`
	Dirty      bool `json:"dirty,omitempty"`
	// SupersededBy is the squashed migration that replaces this one.
	SupersededBy int64 `json:"superseded_by,omitempty"`
}

// Status lists every version known to the files or the database, in order.
func Status(files []Migration, applied map[int64]bool) []Row {
	p := planner{files: files, applied: applied, superseded: map[int64]int64{}}
	rows := map[int64]*Row{}
	for _, m := range files {
		rows[m.Version] = &Row{Version: m.Version, Name: m.Name, InFiles: true}
		for _, r := range m.Replaces {
			p.superseded[r.Version] = m.Version
		}
	}
	for v, dirty := range applied {
		if rows[v] == nil {
			rows[v] = &Row{Version: v}
		}
		rows[v].InDatabase, rows[v].Dirty = true, dirty
	}
	all := map[int64]bool{}
	for v := range rows {
		all[v] = true
	}
	out := make([]Row, 0, len(rows))
	for _, v := range sortedVersions(all) {
		r := rows[v]
		r.SupersededBy = p.superseded[v]
		out = append(out, *r)
	}
	return out
}
