package plan

import (
	"sort"

	"github.com/trellis-gql/trellis/engine/catalog"
)

// Reads says which relations an operation's statement reads: a live query
// must be refetched when one of them changes.
type Reads struct {
	// Tables are the tables and views read, sorted, without repeats.
	Tables []*catalog.Table
	// Functions is set when the statement calls a function (a tracked
	// function, a computed field): what a function reads is not known, so
	// any change may change the result.
	Functions bool
}

// ReadsOf walks an operation's selects, their filters (the permissions'
// included), orderings and nested selects.
func ReadsOf(op *Operation) Reads {
	w := readWalker{seen: map[uint32]*catalog.Table{}}
	for _, f := range op.Fields {
		if f.Kind == RootSelect {
			w.sel(f.Select)
		}
	}
	out := Reads{Functions: w.functions}
	for _, t := range w.seen {
		out.Tables = append(out.Tables, t)
	}
	sort.Slice(out.Tables, func(i, j int) bool {
		a, b := out.Tables[i].Name, out.Tables[j].Name
		if a.Schema != b.Schema {
			return a.Schema < b.Schema
		}
		return a.Name < b.Name
	})
	return out
}

type readWalker struct {
	seen      map[uint32]*catalog.Table
	functions bool
}

func (w *readWalker) table(t *catalog.Table) {
	if t != nil {
		w.seen[t.OID] = t
	}
}

func (w *readWalker) call(c *FunctionCall) {
	if c != nil {
		w.functions = true
	}
}

func (w *readWalker) sel(s *Select) {
	if s == nil {
		return
	}
	w.call(s.Function)
	if s.Function == nil {
		w.table(s.Table)
	}
	w.boolExp(s.From.Where)
	for _, o := range s.From.OrderBy {
		w.order(o)
	}
	for _, c := range s.Cells {
		w.boolExp(c)
	}
	w.fields(s.Fields)
	w.aggregates(s.Aggregate)
}

func (w *readWalker) fields(fs []Field) {
	for _, f := range fs {
		switch f.Kind {
		case FieldSelect:
			w.sel(f.Select)
		case FieldComputed:
			w.call(f.Call)
		}
	}
}

func (w *readWalker) aggregates(as []AggField) {
	for _, a := range as {
		w.aggregates(a.Children)
		w.fields(a.Nodes)
	}
}

func (w *readWalker) order(o OrderItem) {
	for _, h := range o.Path {
		w.table(h.Table)
		w.boolExp(h.Where)
	}
	w.call(o.Call)
	if a := o.Aggregate; a != nil {
		w.call(a.Function)
		if a.Function == nil {
			w.table(a.Table)
		}
		w.boolExp(a.Where)
	}
}

func (w *readWalker) boolExp(e BoolExp) {
	switch e := e.(type) {
	case And:
		for _, x := range e {
			w.boolExp(x)
		}
	case Or:
		for _, x := range e {
			w.boolExp(x)
		}
	case Not:
		w.boolExp(e.Exp)
	case Scope:
		w.boolExp(e.Exp)
	case Compare:
		w.call(e.Call)
	case Exists:
		w.call(e.Function)
		if e.Function == nil {
			w.table(e.Table)
		}
		w.boolExp(e.Where)
	case AggregatePredicate:
		w.table(e.Table)
		w.boolExp(e.Filter)
	}
}
