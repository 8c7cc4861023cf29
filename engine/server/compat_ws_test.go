package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The WebSocket forms of Hasura's cases (README: "Transport"): Hasura's
// harness replays GraphQL queries over the legacy subscriptions-transport-ws
// protocol too, and the cases of the subscriptions suite as live queries,
// their `query …` text turned into `subscription @_multiple_top_level_fields …`.
// The first message's payload must equal the HTTP response.

// wsReplayable says whether a case has a WebSocket form: a GraphQL query
// (not a mutation: replaying it would change what later cases see) that
// answers 200 with a response to compare.
func wsReplayable(c compatCase) (query string, ok bool) {
	if c.URL != "/v1/graphql" && c.URL != "/v1alpha1/graphql" {
		return "", false
	}
	if c.Status != 0 && c.Status != 200 || (c.Compare != "exact" && c.Compare != "unordered") || emptyJSON(c.Response) {
		return "", false
	}
	var body struct {
		Query *string `json:"query"`
	}
	if json.Unmarshal(c.Body, &body) != nil || body.Query == nil {
		return "", false
	}
	q := strings.TrimSpace(*body.Query)
	if !strings.HasPrefix(q, "query") && !strings.HasPrefix(q, "{") {
		return "", false
	}
	return *body.Query, true
}

// checkCompatWS replays a case over the legacy WebSocket protocol, as a
// live query when subscription is set, and returns why it fails ("" when
// it passes).
func checkCompatWS(t *testing.T, base string, c compatCase, query string, subscription bool) string {
	var body map[string]any
	if err := json.Unmarshal(c.Body, &body); err != nil {
		t.Fatal(err)
	}
	if subscription {
		if !strings.HasPrefix(query, "query ") {
			return "" // Hasura's harness asserts this form; others are not replayed
		}
		query = "subscription" + strings.Replace(query[len("query"):], "{", " @_multiple_top_level_fields {", 1)
		body["query"] = query
	}
	reqBody, _ := json.Marshal(body)
	ws := dialWSURL(t, base+c.URL, "graphql-ws", nil)
	defer ws.conn.CloseNow()
	headers := c.Headers
	if headers == nil {
		headers = map[string]string{}
	}
	ws.init(headers)
	ws.sendJSON(map[string]any{"id": "hge_test", "type": "start", "payload": json.RawMessage(reqBody)})
	m := ws.next()
	transport := "websocket"
	if subscription {
		transport = "subscription"
	}
	fail := func(why string) string {
		return fmt.Sprintf("over %s (%s): %s\nrequest:  %s\nexpected: %s\ngot:      %s", transport, c.File, why,
			truncate(string(reqBody), 2000), truncate(compactJSON(c.Response), 4000), truncate(m.raw, 4000))
	}
	wantErrors := strings.Contains(compactJSON(c.Response), `"errors"`)
	if m.ID != "hge_test" || (m.Type != "data" && !(wantErrors && m.Type == "error")) {
		return fail("unexpected message type")
	}
	ok, why, err := compareResponse(reqBody, c.Response, m.Payload, c.Compare == "exact")
	if err != nil {
		return fail(err.Error())
	}
	if !ok {
		return fail(why)
	}
	if subscription {
		ws.stop("hge_test")
		select {
		case extra, open := <-ws.msgs:
			if open && extra.ID == "" {
				m = extra
				return fail("a message after stop")
			}
		case <-time.After(50 * time.Millisecond):
		}
		return ""
	}
	if m = ws.next(); m.Type != "complete" || m.ID != "hge_test" {
		return fail("expected complete")
	}
	return ""
}
