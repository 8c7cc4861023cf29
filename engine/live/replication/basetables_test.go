package replication

import (
	"errors"
	"reflect"
	"testing"

	"github.com/trellis-gql/trellis/engine/pgtest"
)

func TestBaseTables(t *testing.T) {
	conn := connect(t, pgtest.NewDatabase(t))
	exec(t, conn,
		"CREATE TABLE a (id int PRIMARY KEY, b_id int)",
		`CREATE SCHEMA "S s"`,
		`CREATE TABLE "S s"."B" (id int PRIMARY KEY)`,
		"CREATE TABLE c (id int PRIMARY KEY)",
		"CREATE TABLE p (id int) PARTITION BY RANGE (id)",
		"CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10)",
		`CREATE VIEW ab AS SELECT a.id, "B".id AS b FROM a JOIN "S s"."B" ON "B".id = a.b_id`,
		"CREATE VIEW abc AS SELECT ab.*, c.id AS c FROM ab, c, a WHERE c.id = ab.id",
		"CREATE VIEW over_view AS SELECT * FROM ab",
		"CREATE MATERIALIZED VIEW mv AS SELECT * FROM over_view",
		"CREATE VIEW consts AS SELECT 1 AS one",
		"CREATE VIEW parts AS SELECT * FROM p",
	)
	b := Table{Schema: "S s", Name: "B"}
	for _, tc := range []struct {
		view Table
		want []Table
	}{
		{tbl("ab"), []Table{b, tbl("a")}},
		{tbl("over_view"), []Table{b, tbl("a")}},
		{tbl("abc"), []Table{b, tbl("a"), tbl("c")}},
		{tbl("mv"), []Table{b, tbl("a")}},
		{tbl("consts"), nil},
		{tbl("parts"), []Table{tbl("p")}},
		{tbl("c"), []Table{tbl("c")}},
	} {
		t.Run(tc.view.Name, func(t *testing.T) {
			got, err := BaseTables(testCtx(t), conn, tc.view)
			if err != nil {
				t.Fatalf("BaseTables: %v", err)
			}
			if len(got) != 0 || len(tc.want) != 0 {
				if !reflect.DeepEqual(got, tc.want) {
					t.Fatalf("BaseTables(%v) = %v, want %v", tc.view, got, tc.want)
				}
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		if _, err := BaseTables(testCtx(t), conn, tbl("missing")); !errors.Is(err, ErrNotFound) {
			t.Fatalf("BaseTables: %v, want ErrNotFound", err)
		}
	})
}
