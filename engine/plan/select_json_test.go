package plan

import (
	"reflect"
	"testing"
)

func TestParseJSONPath(t *testing.T) {
	cases := []struct {
		in   string
		want []string // nil: invalid
	}{
		{"$", []string{}},
		{"$.a.b[0]", []string{"a", "b", "0"}},
		{"a.b", []string{"a", "b"}},
		{".obj.c1", []string{"obj", "c1"}},
		{"arr[007]", []string{"arr", "7"}},
		{"._under-score9", []string{"_under-score9"}},
		{"['!@#$%^']", []string{"!@#$%^"}},
		{"translations['hello world!']", []string{"translations", "hello world!"}},
		{`objs[0]["你好"]`, []string{"objs", "0", "你好"}},
		{`objs.[0].["你好"]`, []string{"objs", "0", "你好"}},
		{`$['it\'s']`, []string{"it's"}},
		{"", nil},
		{"$$", nil},
		{"a..b", nil},
		{"a b", nil},
		{"1a", nil},
		{"a[", nil},
		{"a[x]", nil},
		{"a['x'", nil},
	}
	for _, c := range cases {
		got, ok := parseJSONPath(c.in)
		if c.want == nil {
			if ok {
				t.Errorf("%q: got %q, want an error", c.in, got)
			}
			continue
		}
		if !ok || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %q (%v), want %q", c.in, got, ok, c.want)
		}
	}
}
