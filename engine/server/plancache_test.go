package server_test

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestPlanCache sends documents again with other variables: the answers
// must be those of a fresh plan, and the cache must answer the requests
// whose variables only fill statement arguments.
func TestPlanCache(t *testing.T) {
	s := newTestServer(t, serverOptions{})
	const byPk = `query($id: Int!) { subjects_by_pk(id: $id) { name } }`
	const list = `query($cat: String, $n: Int, $ids: [Int!]) { subjects(where: {category: {_eq: $cat}, id: {_in: $ids}}, order_by: {id: asc}, limit: $n) { id } }`
	const shaped = `query($where: subjects_bool_exp, $skip: Boolean!) { subjects(where: $where, order_by: {id: asc}, limit: 2) { id name @skip(if: $skip) } }`

	steps := []struct {
		name   string
		query  string
		vars   string
		want   string
		cached bool // answered from the cache
	}{
		{"first by_pk", byPk, `{"id": 7}`, `{"data":{"subjects_by_pk":{"name":"Physics"}}}`, false},
		{"other id", byPk, `{"id": 4}`, `{"data":{"subjects_by_pk":{"name":"Statistics"}}}`, true},
		{"no row", byPk, `{"id": 999}`, `{"data":{"subjects_by_pk":null}}`, true},
		{"bad value is checked again", byPk, `{"id": true}`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.subjects_by_pk.args.id","code":"validation-failed"},"message":"expected a 32-bit integer for type 'Int', but found a boolean"}]}`, false},
		{"a string goes to Postgres", byPk, `{"id": "seven"}`,
			`{"errors":[{"extensions":{"path":"$","code":"data-exception"},"message":"invalid input syntax for type integer: \"seven\""}]}`, true},
		{"null for a non-null variable", byPk, `{"id": null}`,
			`{"errors":[{"extensions":{"path":"$.variableValues.id","code":"validation-failed"},"message":"null value found for non-nullable type: \"Int!\""}]}`, false},

		{"first list", list, `{"cat": "Science", "n": 2, "ids": [5, 6, 7]}`, `{"data":{"subjects":[{"id":5},{"id":6}]}}`, false},
		{"other values", list, `{"cat": "Languages", "n": 3, "ids": [9, 11, 12, 13]}`, `{"data":{"subjects":[{"id":9},{"id":11},{"id":12}]}}`, true},
		{"a list for a scalar is one element", list, `{"cat": "Arts", "n": 5, "ids": 18}`, `{"data":{"subjects":[{"id":18}]}}`, true},
		{"null limit changes the statement", list, `{"cat": "Arts", "n": null, "ids": [18, 19]}`, `{"data":{"subjects":[{"id":18},{"id":19}]}}`, false},
		{"null limit again", list, `{"cat": "Science", "n": null, "ids": [7, 8]}`, `{"data":{"subjects":[{"id":7},{"id":8}]}}`, true},
		{"negative limit", list, `{"cat": "Science", "n": -1, "ids": [7]}`,
			`{"errors":[{"extensions":{"path":"$.selectionSet.subjects.args.limit","code":"validation-failed"},"message":"expected a non-negative 32-bit integer for type 'Int', but found an integer"}]}`, false},

		{"where object", shaped, `{"where": {"category": {"_eq": "Arts"}}, "skip": false}`, `{"data":{"subjects":[{"id":18,"name":"Music Theory"},{"id":19,"name":"Art History"}]}}`, false},
		{"other where object", shaped, `{"where": {"id": {"_gt": 18}}, "skip": false}`, `{"data":{"subjects":[{"id":19,"name":"Art History"},{"id":20,"name":"Study Skills"}]}}`, false},
		{"other directive value", shaped, `{"where": {"id": {"_gt": 18}}, "skip": true}`, `{"data":{"subjects":[{"id":19},{"id":20}]}}`, false},
		{"same shape again", shaped, `{"where": {"category": {"_eq": "Arts"}}, "skip": false}`, `{"data":{"subjects":[{"id":18,"name":"Music Theory"},{"id":19,"name":"Art History"}]}}`, true},
	}
	for _, st := range steps {
		hits, _ := s.engine.CacheStats()
		body, _ := json.Marshal(map[string]any{"query": st.query, "variables": json.RawMessage(st.vars)})
		status, got := s.post(t, string(body), nil)
		got = compact(t, got)
		if status != http.StatusOK || got != st.want {
			t.Errorf("%s: => %d %s\nwant 200 %s", st.name, status, got, st.want)
		}
		after, _ := s.engine.CacheStats()
		if cached := after > hits; cached != st.cached {
			t.Errorf("%s: answered from the cache: %v, want %v", st.name, cached, st.cached)
		}
	}
}
