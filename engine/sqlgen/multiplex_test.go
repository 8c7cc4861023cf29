package sqlgen

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/trellis-gql/trellis/engine/plan"
)

func TestRewritePlaceholders(t *testing.T) {
	cases := []struct{ in, want string }{
		{`SELECT $1::text, $12`, `SELECT <1>::text, <12>`},
		{`SELECT '$1', "a$2""$3", $4`, `SELECT '$1', "a$2""$3", <4>`},
		{`SELECT 'it''s $5', $6`, `SELECT 'it''s $5', <6>`},
		{`SELECT $`, `SELECT $`},
		{`SELECT "unterminated $1`, `SELECT "unterminated $1`},
	}
	for _, c := range cases {
		var sb strings.Builder
		rewritePlaceholders(&sb, c.in, func(n int) string { return "<" + strconv.Itoa(n) + ">" })
		if sb.String() != c.want {
			t.Errorf("%s:\n got  %s\n want %s", c.in, sb.String(), c.want)
		}
	}
}


func TestMultiplex(t *testing.T) {
	st := &Statement{
		SQL:         `SELECT $1::text, ($2::json->>$3::text), $4::int, ($5::text[])::int[]`,
		Args:        []any{"id", `{"x-hasura-user-id":"1"}`, "x-hasura-user-id", "7", []string{"1", "2"}},
		SessionArgs: []int{1},
		Slots:       []Slot{{Arg: 3, Source: &plan.VarSource{Name: "n"}}, {Arg: 4, Source: &plan.VarSource{Name: "l"}, List: true}},
	}
	m := Multiplex(st)
	want := `SELECT _subs.n, _r.* FROM json_array_elements($1::json) WITH ORDINALITY AS _subs(a, n) CROSS JOIN LATERAL (` +
		`SELECT $2::text, ((_subs.a->>0)::json->>$3::text), (_subs.a->>1)::int, (ARRAY(SELECT json_array_elements_text(_subs.a->2))::text[])::int[]` +
		`) AS _r ORDER BY _subs.n`
	if m.SQL != want {
		t.Errorf("SQL:\n got  %s\n want %s", m.SQL, want)
	}
	if !reflect.DeepEqual(m.Shared, []any{"id", "x-hasura-user-id"}) || !reflect.DeepEqual(m.Varying, []int{1, 3, 4}) {
		t.Errorf("shared %v, varying %v", m.Shared, m.Varying)
	}
	if got := SubscriberArgs(st, m.Varying); !reflect.DeepEqual(got, []any{`{"x-hasura-user-id":"1"}`, "7", []string{"1", "2"}}) {
		t.Errorf("subscriber args %v", got)
	}
}
