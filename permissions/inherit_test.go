package permissions

import (
	"reflect"
	"testing"
)

func TestCombineSelects(t *testing.T) {
	mine := Compare{Op: "_eq", Operand: Operand{Session: "x-hasura-user-id"}}
	top := Compare{Op: "_gte", Operand: Operand{Literal: []byte("4")}}
	a := &Select{Columns: ColumnSet{"id": true, "rating": true}, ComputedFields: map[string]bool{"score": true},
		Filter: mine, Limit: 10, QueryRootFields: []string{"select"}}
	b := &Select{Columns: ColumnSet{"id": true, "title": true}, ComputedFields: map[string]bool{},
		Filter: top, Limit: 2, AllowAggregations: true, QueryRootFields: []string{"select_aggregate", "select"}}
	all := &Select{Columns: ColumnSet{"id": true}, ComputedFields: map[string]bool{}}

	for _, tc := range []struct {
		name    string
		parents []*Select
		want    *Select
	}{
		{"rows of either, cells of the parents allowing them", []*Select{a, b}, &Select{
			Columns:        ColumnSet{"id": true, "rating": true, "title": true},
			ComputedFields: map[string]bool{"score": true},
			CellFilters:    map[string]BoolExp{"rating": mine, "title": top, "score": mine},
			Filter:         Or{mine, top}, Limit: 10, AllowAggregations: true,
			QueryRootFields: []string{"select", "select_aggregate"},
		}},
		{"a parent reading every row", []*Select{a, all}, &Select{
			Columns:        ColumnSet{"id": true, "rating": true},
			ComputedFields: map[string]bool{"score": true},
			CellFilters:    map[string]BoolExp{"rating": mine, "score": mine},
			Limit:          10,
		}},
		{"one parent", []*Select{b}, &Select{
			Columns: ColumnSet{"id": true, "title": true}, ComputedFields: map[string]bool{},
			Filter: top, Limit: 2, AllowAggregations: true, QueryRootFields: []string{"select_aggregate", "select"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := combineSelects(tc.parents); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestOrderInherited(t *testing.T) {
	s := &Set{}
	got := s.orderInherited([]inheritedRole{
		{Name: "c", Parents: []string{"b", "x"}},
		{Name: "b", Parents: []string{"a"}},
		{Name: "loop1", Parents: []string{"loop2"}},
		{Name: "loop2", Parents: []string{"loop1"}},
	})
	var names []string
	for _, r := range got {
		names = append(names, r.Name)
	}
	if want := []string{"b", "c"}; !reflect.DeepEqual(names, want) {
		t.Errorf("order = %v, want %v", names, want)
	}
	if len(s.Problems) != 2 {
		t.Errorf("problems = %q, want the two roles of the cycle", s.Problems)
	}
}
