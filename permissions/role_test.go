package permissions

import "testing"

func TestSeesAllTables(t *testing.T) {
	for role, want := range map[string]bool{"admin": true, "user": false, "": false, "Admin": false} {
		if got := SeesAllTables(role); got != want {
			t.Errorf("SeesAllTables(%q) = %v, want %v", role, got, want)
		}
	}
}
