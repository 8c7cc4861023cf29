package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestConsoleProxy: the local console serves its page and passes API
// requests to the server with the admin secret it was given.
func TestConsoleProxy(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"path":"`+r.URL.Path+`","secret":"`+r.Header.Get("X-Hasura-Admin-Secret")+`","body":`+string(body)+`}`)
	}))
	defer upstream.Close()
	u, _ := url.Parse(upstream.URL)
	console := httptest.NewServer(ConsoleProxy(ConsoleProxyConfig{Endpoint: u, AdminSecret: "s3cret"}))
	defer console.Close()

	resp, err := http.Get(console.URL + "/console")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "GraphiQL.createFetcher") {
		t.Fatalf("console page: %d %.200s", resp.StatusCode, page)
	}
	for _, path := range []string{"/v1/graphql", "/v1/metadata", "/v2/query"} {
		resp, err := http.Post(console.URL+path, "application/json", strings.NewReader(`{"q":1}`))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := `{"path":"` + path + `","secret":"s3cret","body":{"q":1}}`
		if string(got) != want {
			t.Errorf("%s: got %s, want %s", path, got, want)
		}
	}
	upstream.Close()
	resp, err = http.Post(console.URL+"/v1/graphql", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(string(got), `"code":"unexpected"`) {
		t.Errorf("server down: %d %s", resp.StatusCode, got)
	}
}
