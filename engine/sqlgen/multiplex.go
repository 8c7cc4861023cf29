package sqlgen

import (
	"strconv"
	"strings"
)

// Multiplexed is the form of a statement that answers many subscribers of
// a live query at once: the subscribers differ only in the arguments that
// come from their variables, their session and their stream cursor, which
// the statement reads from a JSON array per subscriber.
//
// It answers one row per subscriber: the subscriber's 1-based position in
// the batch, then the columns of the original statement.
type Multiplexed struct {
	SQL string
	// Shared are the arguments every subscriber has in common; they follow
	// the batch argument ($1).
	Shared []any
	// Varying lists, in the order of each subscriber's JSON array, the
	// indexes (in Statement.Args) of the arguments that differ per
	// subscriber.
	Varying []int
}

// VaryingArgs returns the indexes of the arguments of a statement that
// depend on a request's variables, session or stream cursor, in order.
// Two requests whose statements have the same SQL and the same other
// arguments can share one multiplexed statement.
func (s *Statement) VaryingArgs() []int {
	mark := make([]bool, len(s.Args))
	for _, sl := range s.Slots {
		mark[sl.Arg] = true
	}
	for _, i := range s.SessionArgs {
		mark[i] = true
	}
	for _, i := range s.CursorArgs {
		mark[i] = true
	}
	var out []int
	for i, m := range mark {
		if m {
			out = append(out, i)
		}
	}
	return out
}

// Multiplex rewrites a statement so that it runs for a batch of
// subscribers (see Multiplexed). The batch argument is a JSON array with
// one array per subscriber, holding the values of the Varying arguments:
// a string, or an array of strings for a list argument, or null.
func Multiplex(st *Statement) *Multiplexed {
	varying := st.VaryingArgs()
	pos := make(map[int]int, len(varying)) // arg index → position in a subscriber's array
	for p, i := range varying {
		pos[i] = p
	}
	shared := make(map[int]int, len(st.Args)) // arg index → new placeholder number
	m := &Multiplexed{Varying: varying}
	for i, a := range st.Args {
		if _, ok := pos[i]; !ok {
			m.Shared = append(m.Shared, a)
			shared[i] = len(m.Shared) + 1
		}
	}
	var sb strings.Builder
	sb.WriteString("SELECT _subs.n, _r.* FROM json_array_elements($1::json) WITH ORDINALITY AS _subs(a, n) CROSS JOIN LATERAL (")
	rewritePlaceholders(&sb, st.SQL, func(n int) string {
		i := n - 1
		if p, ok := pos[i]; ok {
			if _, list := st.Args[i].([]string); list {
				return "ARRAY(SELECT json_array_elements_text(_subs.a->" + strconv.Itoa(p) + "))"
			}
			return "(_subs.a->>" + strconv.Itoa(p) + ")"
		}
		return "$" + strconv.Itoa(shared[i])
	})
	sb.WriteString(") AS _r ORDER BY _subs.n")
	m.SQL = sb.String()
	return m
}

// rewritePlaceholders copies SQL text to sb, replacing each placeholder $n
// with repl(n). Quoted identifiers and string literals are copied as they
// are: a "$1" inside them is not a placeholder. The text is the
// generator's own, whose only quoted forms are "identifiers" and 'strings'
// (with doubled quotes inside).
func rewritePlaceholders(sb *strings.Builder, sql string, repl func(n int) string) {
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(sql) {
				if sql[j] == c {
					if j+1 < len(sql) && sql[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			end := min(j+1, len(sql))
			sb.WriteString(sql[i:end])
			i = end
		case c == '$' && i+1 < len(sql) && sql[i+1] >= '0' && sql[i+1] <= '9':
			j := i + 1
			for j < len(sql) && sql[j] >= '0' && sql[j] <= '9' {
				j++
			}
			n, _ := strconv.Atoi(sql[i+1 : j])
			sb.WriteString(repl(n))
			i = j
		default:
			sb.WriteByte(c)
			i++
		}
	}
}

// SubscriberArgs encodes one subscriber's values of a statement's varying
// arguments as the JSON array Multiplex's batch argument holds.
func SubscriberArgs(st *Statement, varying []int) []any {
	out := make([]any, len(varying))
	for p, i := range varying {
		out[p] = st.Args[i]
	}
	return out
}
