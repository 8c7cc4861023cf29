package migrations

import (
	"fmt"
	"sort"
)

// Direction is up (apply) or down (roll back).
type Direction string

// The directions.
const (
	Up   Direction = "up"
	Down Direction = "down"
)

// Request is what `migrate apply` was asked to do. The zero Request applies
// every pending migration.
type Request struct {
	// Up applies the next Up pending migrations.
	Up int
	// Down rolls back the last Down applied migrations; DownAll all of them.
	Down    int
	DownAll bool
	// Goto moves to version Goto: rolls back what is applied after it and
	// applies what is pending up to it.
	Goto int64
	// Version applies (Type up) or rolls back (Type down) that one migration.
	Version int64
	Type    Direction
	// SkipExecution only marks (or unmarks) the versions, running no SQL.
	SkipExecution bool
}

// Step is one migration to apply or roll back.
type Step struct {
	Migration Migration
	Direction Direction
	// Execute is false when the step only changes the recorded state:
	// --skip-execution, an up migration without up.sql, or a squashed
	// migration whose parts are all applied already (Adopt).
	Execute bool
	// Adopt marks a squashed migration applied in place of its parts,
	// which are unmarked.
	Adopt bool
}

// Plan lists the steps that carry out r, given the migration files and
// the versions applied. Migrations replaced by a squashed migration that is
// present are never applied on their own. A squashed migration is adopted
// (marked, not run) where all its parts are applied, and refused where only
// some are.
func Plan(files []Migration, applied map[int64]bool, r Request) ([]Step, error) {
	p := planner{files: files, applied: applied, superseded: map[int64]int64{}}
	for _, m := range files {
		for _, rep := range m.Replaces {
			p.superseded[rep.Version] = m.Version
			for _, v := range rep.Parts {
				p.superseded[v] = m.Version
			}
		}
	}
	steps, err := p.plan(r)
	if err != nil {
		return nil, err
	}
	for i := range steps {
		s := &steps[i]
		switch {
		case r.SkipExecution:
			s.Execute, s.Adopt = false, false
		case s.Direction == Up && s.Migration.Up == "":
			s.Execute = false
		case s.Direction == Down && s.Migration.Down == "":
			return nil, fmt.Errorf("migration %s has no down.sql: write one, or pass --skip-execution to only unmark it", s.Migration.Folder())
		}
	}
	return steps, nil
}

type planner struct {
	files   []Migration
	applied map[int64]bool
	// superseded maps a version to the squashed migration replacing it.
	superseded map[int64]int64
}

func (p *planner) plan(r Request) ([]Step, error) {
	switch {
	case r.Version != 0:
		return p.one(r.Version, r.Type)
	case r.Goto != 0:
		if _, ok := Find(p.files, r.Goto); !ok {
			return nil, fmt.Errorf("--goto %d: no migration has that version", r.Goto)
		}
		downs := p.downs(func(v int64) bool { return v > r.Goto }, -1)
		ups, err := p.ups(func(v int64) bool { return v <= r.Goto }, -1)
		return append(downs, ups...), err
	case r.DownAll:
		return p.downs(func(int64) bool { return true }, -1), nil
	case r.Down > 0:
		return p.downs(func(int64) bool { return true }, r.Down), nil
	case r.Up > 0:
		return p.ups(func(int64) bool { return true }, r.Up)
	}
	return p.ups(func(int64) bool { return true }, -1)
}

// one is the step of --version v --type dir; none when v is already there.
func (p *planner) one(v int64, dir Direction) ([]Step, error) {
	m, ok := Find(p.files, v)
	if !ok {
		return nil, fmt.Errorf("--version %d: no migration has that version", v)
	}
	_, isApplied := p.applied[v]
	switch dir {
	case Up, "":
		if isApplied {
			return nil, nil
		}
		s, err := p.upStep(m)
		return []Step{s}, err
	case Down:
		if !isApplied {
			return nil, nil
		}
		return []Step{{Migration: m, Direction: Down, Execute: true}}, nil
	}
	return nil, fmt.Errorf("--type must be up or down, not %q", dir)
}

// ups are the pending migrations that pass keep, oldest first, at most n
// (n < 0: all).
func (p *planner) ups(keep func(int64) bool, n int) ([]Step, error) {
	var out []Step
	for _, m := range p.files {
		if n >= 0 && len(out) == n {
			break
		}
		if _, done := p.applied[m.Version]; done || !keep(m.Version) {
			continue
		}
		if _, gone := p.superseded[m.Version]; gone {
			continue
		}
		s, err := p.upStep(m)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// upStep applies m, or adopts it when it is a squash of applied versions.
func (p *planner) upStep(m Migration) (Step, error) {
	if len(m.Replaces) == 0 {
		return Step{Migration: m, Direction: Up, Execute: true}, nil
	}
	var have, missing []int64
	for _, r := range m.Replaces {
		if p.covered(r) {
			have = append(have, r.Version)
		} else {
			missing = append(missing, r.Version)
		}
	}
	switch {
	case len(missing) == 0:
		return Step{Migration: m, Direction: Up, Adopt: true}, nil
	case len(have) == 0:
		return Step{Migration: m, Direction: Up, Execute: true}, nil
	}
	return Step{}, fmt.Errorf("migration %s squashes %v, but this database has only %v of them applied: "+
		"apply the missing ones from the original migrations first, or roll the applied ones back", m.Folder(), versionsOf(m.Replaces), have)
}

// covered: the database has r applied, itself or through all its parts.
func (p *planner) covered(r Replaced) bool {
	if _, ok := p.applied[r.Version]; ok {
		return true
	}
	if len(r.Parts) == 0 {
		return false
	}
	for _, v := range r.Parts {
		if _, ok := p.applied[v]; !ok {
			return false
		}
	}
	return true
}

// downs are the applied migrations (with files) that pass keep, newest
// first, at most n (n < 0: all).
func (p *planner) downs(keep func(int64) bool, n int) []Step {
	versions := sortedVersions(p.applied)
	sort.Slice(versions, func(i, j int) bool { return versions[i] > versions[j] })
	var out []Step
	for _, v := range versions {
		if n >= 0 && len(out) == n {
			break
		}
		m, ok := Find(p.files, v)
		if !ok || !keep(v) {
			continue
		}
		out = append(out, Step{Migration: m, Direction: Down, Execute: true})
	}
	return out
}

func versionsOf(rs []Replaced) []int64 {
	out := make([]int64, len(rs))
	for i, r := range rs {
		out[i] = r.Version
	}
	return out
}
