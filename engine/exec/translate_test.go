package exec

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/trellis-gql/trellis/engine/gqlerr"
)

func TestTranslate(t *testing.T) {
	cases := []struct {
		code, message string
		want          gqlerr.Code
		wantMessage   string
	}{
		{"23505", `duplicate key value violates unique constraint "author_pkey"`, gqlerr.ConstraintViolation, `Uniqueness violation. duplicate key value violates unique constraint "author_pkey"`},
		{"23503", `insert or update on table "article" violates foreign key constraint "article_author_id_fkey"`, gqlerr.ConstraintViolation, `Foreign key violation. insert or update on table "article" violates foreign key constraint "article_author_id_fkey"`},
		{"23502", `null value in column "name" violates not-null constraint`, gqlerr.ConstraintViolation, `Not-NULL violation. null value in column "name" violates not-null constraint`},
		{"23514", `new row for relation "author" violates check constraint "author_age_check"`, gqlerr.PermissionError, `Check constraint violation. new row for relation "author" violates check constraint "author_age_check"`},
		{"42704", `constraint "author_name_key" for table "author" does not exist`, gqlerr.ConstraintError, `constraint "author_name_key" for table "author" does not exist`},
		{"22P02", `invalid input syntax for type integer: "x"`, gqlerr.DataException, `invalid input syntax for type integer: "x"`},
		{"42P01", `relation "nope" does not exist`, gqlerr.PostgresError, `relation "nope" does not exist`},
	}
	for _, c := range cases {
		e := gqlerr.As(Translate(&pgconn.PgError{Code: c.code, Message: c.message}))
		if e.Code != c.want || e.Message != c.wantMessage {
			t.Errorf("%s: got %s %q, want %s %q", c.code, e.Code, e.Message, c.want, c.wantMessage)
		}
	}
	if e := gqlerr.As(Translate(errors.New("boom"))); e.Code != gqlerr.Unexpected {
		t.Errorf("a non-Postgres error: %s", e.Code)
	}
}
