package migrations

import (
	"fmt"
	"strings"
	"testing"
)

// files builds migrations 1..n with both files; squashes maps a version to
// what it replaces.
func files(n int, squashes map[int64][]Replaced) []Migration {
	var out []Migration
	for v := int64(1); v <= int64(n); v++ {
		out = append(out, Migration{Version: v, Name: fmt.Sprint("m", v), Dir: fmt.Sprintf("/m/%d_m%d", v, v), Up: "up", Down: "down", Replaces: squashes[v]})
	}
	return out
}

func applied(vs ...int64) map[int64]bool {
	out := map[int64]bool{}
	for _, v := range vs {
		out[v] = false
	}
	return out
}

// summary writes steps as "1up 2up 3down 4adopt 5mark".
func summary(steps []Step) string {
	var parts []string
	for _, s := range steps {
		kind := string(s.Direction)
		switch {
		case s.Adopt:
			kind = "adopt"
		case !s.Execute:
			kind = "mark" + kind
		}
		parts = append(parts, fmt.Sprint(s.Migration.Version, kind))
	}
	return strings.Join(parts, " ")
}

func TestPlan(t *testing.T) {
	squash4 := map[int64][]Replaced{4: {{Version: 2}, {Version: 3}}}
	cases := []struct {
		name    string
		files   []Migration
		applied map[int64]bool
		req     Request
		want    string
		err     string
	}{
		{name: "all pending", files: files(3, nil), applied: applied(1), want: "2up 3up"},
		{name: "nothing pending", files: files(2, nil), applied: applied(1, 2), want: ""},
		{name: "a gap is filled", files: files(3, nil), applied: applied(1, 3), want: "2up"},
		{name: "up 1", files: files(3, nil), req: Request{Up: 1}, want: "1up"},
		{name: "down 2", files: files(3, nil), applied: applied(1, 2, 3), req: Request{Down: 2}, want: "3down 2down"},
		{name: "down all", files: files(3, nil), applied: applied(1, 2), req: Request{DownAll: true}, want: "2down 1down"},
		{name: "down skips versions without files", files: files(2, nil), applied: applied(1, 2, 9), req: Request{Down: 1}, want: "2down"},
		{name: "goto forward", files: files(4, nil), applied: applied(1), req: Request{Goto: 3}, want: "2up 3up"},
		{name: "goto back", files: files(4, nil), applied: applied(1, 2, 3, 4), req: Request{Goto: 2}, want: "4down 3down"},
		{name: "goto unknown", files: files(2, nil), req: Request{Goto: 7}, err: "no migration has that version"},
		{name: "version up", files: files(3, nil), req: Request{Version: 2, Type: Up}, want: "2up"},
		{name: "version up applied", files: files(3, nil), applied: applied(2), req: Request{Version: 2, Type: Up}, want: ""},
		{name: "version down", files: files(3, nil), applied: applied(1, 2), req: Request{Version: 1, Type: Down}, want: "1down"},
		{name: "version bad type", files: files(3, nil), req: Request{Version: 1, Type: "sideways"}, err: "up or down"},
		{name: "skip execution", files: files(2, nil), req: Request{SkipExecution: true}, want: "1markup 2markup"},
		{name: "squash on a fresh database runs", files: files(4, squash4)[:1:1], want: "1up"},
		{name: "squash where its parts are applied is adopted", files: append(files(1, nil), files(4, squash4)[3]), applied: applied(1, 2, 3), want: "4adopt"},
		{name: "squash fresh", files: append(files(1, nil), files(4, squash4)[3]), applied: applied(1), want: "4up"},
		{name: "squash partly applied", files: append(files(1, nil), files(4, squash4)[3]), applied: applied(1, 2), err: "has only [2] of them applied"},
		{name: "originals kept beside the squash are not run", files: files(4, squash4), applied: applied(1), want: "4up"},
		{name: "nested squash adopted through leaves", files: []Migration{files(6, map[int64][]Replaced{6: {{Version: 4, Parts: []int64{2, 3}}, {Version: 5}}})[5]}, applied: applied(2, 3, 5), want: "6adopt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			steps, err := Plan(c.files, c.applied, c.req)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(steps); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestPlanMissingFiles(t *testing.T) {
	fs := files(2, nil)
	fs[0].Up, fs[1].Down = "", ""
	steps, err := Plan(fs, nil, Request{})
	if err != nil || summary(steps) != "1markup 2up" {
		t.Errorf("an up migration without up.sql: %q, %v", summary(steps), err)
	}
	if _, err := Plan(fs, applied(1, 2), Request{Down: 1}); err == nil || !strings.Contains(err.Error(), "has no down.sql") {
		t.Errorf("a down migration without down.sql: %v", err)
	}
	if steps, err := Plan(fs, applied(1, 2), Request{Down: 1, SkipExecution: true}); err != nil || summary(steps) != "2markdown" {
		t.Errorf("--skip-execution without down.sql: %q, %v", summary(steps), err)
	}
}

func TestStatus(t *testing.T) {
	fs := files(4, map[int64][]Replaced{4: {{Version: 2}, {Version: 3}}})
	rows := Status(fs, applied(1, 9))
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprint(r.Version, r.InFiles, r.InDatabase, r.SupersededBy))
	}
	want := "1 true true 0|2 true false 4|3 true false 4|4 true false 0|9 false true 0"
	if s := strings.Join(got, "|"); s != want {
		t.Errorf("got %s\nwant %s", s, want)
	}
}
