package dataapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/dataapi"
	"github.com/trellis-gql/trellis/engine/exec"
	"github.com/trellis-gql/trellis/engine/pgtest"
	"github.com/trellis-gql/trellis/metadata"
)

const schemaSQL = `
CREATE TABLE author (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  is_registered boolean NOT NULL DEFAULT false,
  profile jsonb,
  followers bigint
);
CREATE TABLE article (
  id serial PRIMARY KEY,
  title text NOT NULL,
  author_id integer REFERENCES author(id),
  is_published boolean,
  tags text[]
);
CREATE SCHEMA hge_tests;
CREATE TABLE hge_tests.address (
  door_no text PRIMARY KEY,
  city text NOT NULL,
  resident_id integer REFERENCES author(id)
);`

const testMetadata = `{"version": 3, "sources": [{"name": "default", "kind": "postgres", "tables": [
  {"table": {"schema": "public", "name": "author"},
   "array_relationships": [{"name": "articles", "using": {"foreign_key_constraint_on": {"table": "article", "column": "author_id"}}}]},
  {"table": {"schema": "public", "name": "article"},
   "object_relationships": [{"name": "author", "using": {"foreign_key_constraint_on": "author_id"}}]},
  {"table": {"schema": "hge_tests", "name": "address"},
   "object_relationships": [{"name": "resident", "using": {"foreign_key_constraint_on": "resident_id"}}]}
]}]}`

type fixture struct {
	db *exec.DB
	m  *metadata.Model
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := exec.Open(ctx, exec.Config{DatabaseURL: pgtest.NewDatabase(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if _, err := db.Pool.Exec(ctx, schemaSQL); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Load(ctx, db.Pool)
	if err != nil {
		t.Fatal(err)
	}
	var md metadata.Metadata
	if err := json.Unmarshal([]byte(testMetadata), &md); err != nil {
		t.Fatal(err)
	}
	m := metadata.Resolve(&md, cat)
	if len(m.Inconsistencies) > 0 {
		t.Fatalf("inconsistent metadata: %+v", m.Inconsistencies)
	}
	return &fixture{db: db, m: m}
}

// run sends one request and returns the response with insignificant space
// removed (key order kept).
func (f *fixture) run(t *testing.T, typ, args string) (string, error) {
	t.Helper()
	out, err := dataapi.Run(context.Background(), f.db, f.m, typ, json.RawMessage(args))
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := json.Compact(&b, out); err != nil {
		t.Fatalf("%s: invalid JSON %q: %v", typ, out, err)
	}
	return b.String(), nil
}

type step struct {
	name, typ, args, want string
}

func (f *fixture) steps(t *testing.T, steps []step) {
	t.Helper()
	for _, s := range steps {
		got, err := f.run(t, s.typ, s.args)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got != s.want {
			t.Fatalf("%s:\n got %s\nwant %s", s.name, got, s.want)
		}
	}
}

func TestDataAPI(t *testing.T) {
	f := newFixture(t)
	f.steps(t, []step{
		{"insert without returning", "insert",
			`{"table": "author", "objects": [{"name": "Author 1", "is_registered": true, "followers": "123456789"}, {"name": "Author 2", "profile": {"z": [1, 2], "a": "x"}}]}`,
			`{"affected_rows":2}`},
		{"insert with returning, defaults and arrays", "insert",
			`{"table": "article", "objects": [
			   {"title": "Article 1", "author_id": 1, "is_published": false, "tags": ["a", "b,c"]},
			   {"title": "Article 2", "author_id": 1, "is_published": true},
			   {"title": "Article 3", "author_id": 2, "is_published": true}],
			 "returning": ["id", "title", "tags"]}`,
			`{"affected_rows":3,"returning":[{"id":1,"title":"Article 1","tags":["a","b,c"]},{"id":2,"title":"Article 2","tags":null},{"id":3,"title":"Article 3","tags":null}]}`},
		{"insert into another schema", "insert",
			`{"table": {"schema": "hge_tests", "name": "address"}, "objects": [{"door_no": "12-21", "city": "Hyderabad", "resident_id": 2}]}`,
			`{"affected_rows":1}`},
		{"upsert on a constraint", "insert",
			`{"table": "author", "objects": [{"name": "Author 1", "is_registered": false}], "on_conflict": {"constraint": "author_name_key", "action": "update"}, "returning": ["id", "name", "is_registered"]}`,
			`{"affected_rows":1,"returning":[{"id":1,"name":"Author 1","is_registered":false}]}`},
		{"upsert ignored on columns", "insert",
			`{"table": "author", "objects": [{"id": 2, "name": "Someone"}], "on_conflict": {"constraint_on": "id", "action": "ignore"}, "returning": ["id"]}`,
			`{"affected_rows":0,"returning":[]}`},
		{"select with relationships", "select",
			`{"table": "author", "columns": ["name", {"name": "articles", "columns": ["id", "title", {"name": "author", "columns": ["id"]}], "where": {"is_published": true}, "order_by": "-id"}], "order_by": "+id"}`,
			`[{"name":"Author 1","articles":[{"id":2,"title":"Article 2","author":{"id":1}}]},{"name":"Author 2","articles":[{"id":3,"title":"Article 3","author":{"id":2}}]}]`},
		{"select star, object relationship first", "select",
			`{"table": {"schema": "hge_tests", "name": "address"}, "columns": ["*", {"name": "resident", "columns": ["name", "profile"]}]}`,
			`[{"resident":{"name":"Author 2","profile":{"a":"x","z":[1,2]}},"door_no":"12-21","city":"Hyderabad","resident_id":2}]`},
		{"select filtered through a relationship", "select",
			`{"table": "article", "columns": ["id"], "where": {"author": {"followers": {"$gt": 1000}}, "$or": [{"title": {"$like": "%1"}}, {"is_published": null}]}, "order_by": [{"column": "author.name", "type": "desc"}, "id"]}`,
			`[{"id":1}]`},
		{"select with in, limit and offset", "select",
			`{"table": "article", "columns": ["id"], "where": {"id": {"$in": [1, 2, 3]}, "title": {"$nin": ["x"]}}, "order_by": "id", "limit": 1, "offset": 1}`,
			`[{"id":2}]`},
		{"select nothing", "select",
			`{"table": "article", "columns": ["id"], "where": {"id": {"$eq": null}}}`,
			`[]`},
		{"update with set, inc and returning", "update",
			`{"table": "author", "where": {"name": "Author 2"}, "$set": {"is_registered": true, "profile": null}, "$inc": {"followers": 5}, "returning": ["id", "is_registered", "followers", "profile"]}`,
			`{"affected_rows":1,"returning":[{"id":2,"is_registered":true,"followers":null,"profile":null}]}`},
		{"update through a relationship", "update",
			`{"table": "article", "where": {"author": {"name": "Author 1"}}, "$set": {"is_published": true}}`,
			`{"affected_rows":2}`},
		{"count", "count",
			`{"table": "article", "where": {"is_published": true}}`,
			`{"count":3}`},
		{"count distinct", "count",
			`{"table": "article", "distinct": ["author_id"], "where": {"is_published": true}}`,
			`{"count":2}`},
		{"count all", "count", `{"table": "author"}`, `{"count":2}`},
		{"delete with returning", "delete",
			`{"table": "article", "where": {"id": 2}, "returning": ["id", "title", "author_id"]}`,
			`{"affected_rows":1,"returning":[{"id":2,"title":"Article 2","author_id":1}]}`},
		{"delete nothing", "delete",
			`{"table": "article", "where": {"id": 42}}`,
			`{"affected_rows":0}`},
	})
}

func TestDataAPIErrors(t *testing.T) {
	f := newFixture(t)
	f.steps(t, []step{{"seed", "insert", `{"table": "author", "objects": [{"name": "Author 1"}]}`, `{"affected_rows":1}`}})
	cases := []struct {
		name, typ, args string
		want            metadata.APIError
	}{
		{"unique violation", "insert", `{"table": "author", "objects": [{"name": "Author 1"}]}`,
			metadata.APIError{Status: 400, Code: "constraint-violation", Path: "$.args",
				Message: `Uniqueness violation. duplicate key value violates unique constraint "author_name_key"`}},
		{"foreign key violation", "insert", `{"table": "article", "objects": [{"title": "x", "author_id": 99}]}`,
			metadata.APIError{Status: 400, Code: "constraint-violation", Path: "$.args",
				Message: `Foreign key violation. insert or update on table "article" violates foreign key constraint "article_author_id_fkey"`}},
		{"not-null violation", "insert", `{"table": "article", "objects": [{"author_id": 1}]}`,
			metadata.APIError{Status: 400, Code: "constraint-violation", Path: "$.args",
				Message: `Not-NULL violation. null value in column "title" of relation "article" violates not-null constraint`}},
		{"bad value", "select", `{"table": "author", "columns": ["id"], "where": {"id": "one"}}`,
			metadata.APIError{Status: 400, Code: "data-exception", Path: "$.args",
				Message: `invalid input syntax for type integer: "one"`}},
		{"unknown table", "select", `{"table": "articles", "columns": ["id"]}`,
			metadata.APIError{Status: 400, Code: "not-exists", Path: "$.args.table", Message: `table "articles" does not exist`}},
		{"unknown column", "select", `{"table": "author", "columns": ["id", "user"]}`,
			metadata.APIError{Status: 400, Code: "permission-denied", Path: "$.args.columns[1]", Message: `no such column exists: "user"`}},
		{"unknown insert column", "insert", `{"table": "author", "objects": [{"name": "A", "age": 23}], "returning": ["name", "id"]}`,
			metadata.APIError{Status: 400, Code: "not-exists", Path: "$.args.objects[0]", Message: `column "age" does not exist`}},
		{"update without where", "update", `{"table": "author", "$set": {"name": "x"}}`,
			metadata.APIError{Status: 400, Code: "parse-failed", Path: "$", Message: `key "where" not found`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.run(t, c.typ, c.args)
			var got *metadata.APIError
			if !errors.As(err, &got) {
				t.Fatalf("got error %v, want an APIError", err)
			}
			if *got != c.want {
				t.Errorf("got  %+v\nwant %+v", *got, c.want)
			}
		})
	}
	// The failed statements changed nothing.
	f.steps(t, []step{{"unchanged", "count", `{"table": "author"}`, `{"count":1}`}})
}

// RunOn runs inside the caller's transaction (bulk requests do).
func TestRunOnTransaction(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tx, err := f.db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // rolled back below
	if _, err := dataapi.RunOn(ctx, tx, f.m, "insert", json.RawMessage(`{"table": "author", "objects": [{"name": "A"}]}`)); err != nil {
		t.Fatal(err)
	}
	out, err := dataapi.RunOn(ctx, tx, f.m, "select", json.RawMessage(`{"table": "author", "columns": ["name"]}`))
	if err != nil || string(out) != `[{"name" : "A"}]` {
		t.Fatalf("select in the transaction = %s, %v", out, err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	f.steps(t, []step{{"rolled back", "count", `{"table": "author"}`, `{"count":0}`}})
}

// $cast converts a column before comparing it: jsonb to text (geometry and
// geography to one another); any other cast is refused as Hasura does.
func TestDataAPICast(t *testing.T) {
	f := newFixture(t)
	f.steps(t, []step{
		{"seed", "insert",
			`{"table": "author", "objects": [{"name": "A", "profile": {"tags": ["latest"]}}, {"name": "B", "profile": {"tags": ["old"]}}, {"name": "C"}]}`,
			`{"affected_rows":3}`},
		{"jsonb cast to text", "select",
			`{"table": "author", "columns": ["name"], "where": {"profile": {"$cast": {"text": {"$like": "%latest%"}}}}}`,
			`[{"name":"A"}]`},
		{"the type name in any case, with other operators", "select",
			`{"table": "author", "columns": ["name"], "where": {"profile": {"_cast": {"TEXT": {"$nlike": "%latest%", "$is_null": false}}}}, "order_by": "name"}`,
			`[{"name":"B"}]`},
		{"an empty cast holds", "count",
			`{"table": "author", "where": {"profile": {"$cast": {}}}}`,
			`{"count":3}`},
	})
	cases := []struct {
		name, args string
		want       metadata.APIError
	}{
		{"jsonb to another type", `{"table": "author", "columns": ["id"], "where": {"profile": {"$cast": {"int4": {"$eq": 1}}}}}`,
			metadata.APIError{Status: 400, Code: "unexpected-payload", Path: "$.args.where.profile.$cast", Message: `cannot cast column of type "jsonb" to type "integer"`}},
		{"a type with no cast", `{"table": "author", "columns": ["id"], "where": {"followers": {"$cast": {"text": {"$eq": "1"}}}}}`,
			metadata.APIError{Status: 400, Code: "unexpected-payload", Path: "$.args.where.followers.$cast", Message: `cannot cast column of type "bigint" to type "text"`}},
		{"a cast of a cast", `{"table": "author", "columns": ["id"], "where": {"profile": {"$cast": {"text": {"$cast": {"jsonb": {}}}}}}}`,
			metadata.APIError{Status: 400, Code: "unexpected-payload", Path: "$.args.where.profile.$cast.text.$cast", Message: `cannot cast column of type "text" to type "jsonb"`}},
		{"not an object", `{"table": "author", "columns": ["id"], "where": {"profile": {"$cast": "text"}}}`,
			metadata.APIError{Status: 400, Code: "parse-failed", Path: "$.where.profile.$cast", Message: `parsing HashMap failed, expected Object, but encountered String`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.run(t, "select", c.args)
			var got *metadata.APIError
			if !errors.As(err, &got) {
				t.Fatalf("got error %v, want an APIError", err)
			}
			if *got != c.want {
				t.Errorf("got  %+v\nwant %+v", *got, c.want)
			}
		})
	}
}
