package migrations

import (
	"os"
	"strings"
	"testing"
)

func TestSquash(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"1_init/up.sql":    "create table a();\n",
		"1_init/down.sql":  "drop table a;\n",
		"2_b/up.sql":       "create table b();",
		"2_b/down.sql":     "drop table b;",
		"3_c/up.sql":       "create table c();\n",
		"3_c/down.sql":     "drop table c;\n",
		"4_no_down/up.sql": "create index on c ((1));\n",
	})
	if _, _, err := Squash(dir, SquashOptions{From: 5, Version: 10}); err == nil {
		t.Error("squash from an unknown version was accepted")
	}
	if _, _, err := Squash(dir, SquashOptions{From: 2, Version: 3}); err == nil || !strings.Contains(err.Error(), "must be later") {
		t.Errorf("an early version: %v", err)
	}
	m, parts, err := Squash(dir, SquashOptions{From: 2, Version: 10, Name: "bc", DeleteSource: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 3 || m.Down != "" {
		t.Errorf("parts %d, down %q: want 3 parts and no down.sql (4_no_down has none)", len(parts), m.Down)
	}
	up, _ := os.ReadFile(m.Up)
	wantUp := "-- Squashed by trellis migrate squash from these migrations, in order:\n--   2_b\n--   3_c\n--   4_no_down\n" +
		"-- trellis:replaces 2 3 4\n\n-- 2_b/up.sql\ncreate table b();\n\n-- 3_c/up.sql\ncreate table c();\n\n-- 4_no_down/up.sql\ncreate index on c ((1));\n"
	if string(up) != wantUp {
		t.Errorf("up.sql:\n%s\nwant:\n%s", up, wantUp)
	}
	left, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 2 || left[1].Version != 10 || len(left[1].Replaces) != 3 {
		t.Fatalf("after squash: %+v", left)
	}
	// Squashing the squash records its parts, so that servers that never
	// saw the first squash still adopt the second.
	write(t, dir, map[string]string{"11_d/up.sql": "create table d();", "11_d/down.sql": "drop table d;"})
	m2, _, err := Squash(dir, SquashOptions{From: 10, Version: 20})
	if err != nil {
		t.Fatal(err)
	}
	if got := m2.Replaces; len(got) != 2 || got[0].Version != 10 || len(got[0].Parts) != 3 || got[1].Version != 11 {
		t.Errorf("nested replaces: %+v", got)
	}
}

func TestSquashDown(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"1_a/up.sql": "create table a();", "1_a/down.sql": "drop table a;",
		"2_b/up.sql": "create table b();", "2_b/down.sql": "drop table b;",
	})
	m, _, err := Squash(dir, SquashOptions{From: 1, Version: 5})
	if err != nil {
		t.Fatal(err)
	}
	down, _ := os.ReadFile(m.Down)
	want := "-- Squashed by trellis migrate squash: the down migrations in reverse order.\n\n-- 2_b/down.sql\ndrop table b;\n\n-- 1_a/down.sql\ndrop table a;\n"
	if string(down) != want {
		t.Errorf("down.sql:\n%s\nwant:\n%s", down, want)
	}
	if left, _ := Load(dir); len(left) != 3 {
		t.Errorf("without --delete-source the originals stay: %d migrations", len(left))
	}
}
