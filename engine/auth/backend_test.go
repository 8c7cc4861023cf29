package auth

import (
	"context"
	"net/http"
	"testing"
)

// TestBackendOnly: x-hasura-use-backend-only-permissions counts only on a
// trusted request (the admin secret sent, or none configured), and its
// value must be one of Hasura's boolean words.
func TestBackendOnly(t *testing.T) {
	ctx := context.Background()
	open, err := New(ctx, Config{})
	if err != nil {
		t.Fatal(err)
	}
	guarded, err := New(ctx, Config{AdminSecret: "s", UnauthorizedRole: "anon"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		a       *Authenticator
		headers map[string]string
		want    bool
		wantErr string
	}{
		{"no header", open, map[string]string{"X-Hasura-Role": "user"}, false, ""},
		{"no admin secret configured", open, map[string]string{"X-Hasura-Role": "user", "X-Hasura-Use-Backend-Only-Permissions": "true"}, true, ""},
		{"case-insensitive words", open, map[string]string{"X-Hasura-Role": "user", "X-Hasura-Use-Backend-Only-Permissions": "Yes"}, true, ""},
		{"false", open, map[string]string{"X-Hasura-Role": "user", "X-Hasura-Use-Backend-Only-Permissions": "f"}, false, ""},
		{"admin secret sent", guarded, map[string]string{"X-Hasura-Admin-Secret": "s", "X-Hasura-Role": "user", "X-Hasura-Use-Backend-Only-Permissions": "true"}, true, ""},
		{"untrusted request", guarded, map[string]string{"X-Hasura-Use-Backend-Only-Permissions": "true"}, false, ""},
		{"not a boolean", open, map[string]string{"X-Hasura-Role": "user", "X-Hasura-Use-Backend-Only-Permissions": "maybe"}, false,
			`x-hasura-use-backend-only-permissions: Not a valid boolean text. True values are ["true","t","yes","y"] and False values are ["false","f","no","n"]. All values are case insensitive`},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range c.headers {
				h.Set(k, v)
			}
			s, err := c.a.Authenticate(ctx, Request{Header: h})
			if c.wantErr != "" {
				if err == nil || err.Error() != c.wantErr || HTTPStatus(err) != http.StatusBadRequest {
					t.Fatalf("error = %v, want %s (400)", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.BackendOnly != c.want {
				t.Errorf("BackendOnly = %v, want %v", s.BackendOnly, c.want)
			}
		})
	}
}
