package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestArgs reads each case's request body from hack/bench/queries, as the
// load tool sends it, and checks the statement arguments taken from it.
func TestArgs(t *testing.T) {
	want := map[string][]any{
		"by_pk":            {int32(42424)},
		"list_20":          {"100"}, // a JSON number
		"nested_10x10x5":   nil,
		"aggregate":        {int32(1000)},
		"insert_returning": {int32(100001), int32(42)},
		"update_by_pk":     {int32(42424), "12.50"}, // a JSON string
	}
	if len(endpoints) != len(want) {
		t.Fatalf("%d endpoints, %d expected", len(endpoints), len(want))
	}
	for _, ep := range endpoints {
		t.Run(ep.Name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("..", "queries", ep.Name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := ep.Args(f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want[ep.Name]) {
				t.Errorf("got %#v, want %#v", got, want[ep.Name])
			}
		})
	}
}
