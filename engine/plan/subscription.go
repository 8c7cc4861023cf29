package plan

import (
	"github.com/graphql-go/graphql/language/ast"

	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
)

// MultipleTopLevelFields is the operation directive with which a
// subscription may select more than one root field, as in Hasura.
const MultipleTopLevelFields = "_multiple_top_level_fields"

// subscription plans a subscription: the root fields of subscription_root,
// exactly one unless the operation carries @_multiple_top_level_fields.
// A live query re-runs the plan; a <t>_stream field also advances its
// cursor (Select.Stream).
func (p *planner) subscription(op *ast.OperationDefinition) (*Operation, error) {
	root := p.schema.Subscription
	if root == nil {
		return nil, gqlerr.Root.Errorf(gqlerr.ValidationFailed, "no subscriptions exist")
	}
	multiple := false
	for _, d := range op.Directives {
		if d.Name.Value != MultipleTopLevelFields {
			return nil, gqlerr.Root.Errorf(gqlerr.ValidationFailed, "directive %q is not allowed on a subscription", d.Name.Value)
		}
		multiple = true
	}
	fields, err := p.collect([]*ast.SelectionSet{op.SelectionSet}, schema.SubscriptionRoot, gqlerr.Root, nil)
	if err != nil {
		return nil, err
	}
	if len(fields) != 1 && !multiple {
		return nil, gqlerr.Root.Errorf(gqlerr.ValidationFailed, "subscriptions must select one top level field")
	}
	plan := &Operation{Subscription: true}
	for _, f := range fields {
		rf, err := p.rootField(f, root)
		if err != nil {
			return nil, err
		}
		if rf.Kind == RootIntrospection {
			return nil, f.path.Errorf(gqlerr.ValidationFailed, "introspection fields are not supported in subscriptions")
		}
		if rf.Kind == RootSelect && rf.Select.Stream != nil {
			plan.Streaming = true
		}
		plan.Fields = append(plan.Fields, rf)
	}
	if plan.Streaming && len(plan.Fields) != 1 {
		return nil, gqlerr.Root.Errorf(gqlerr.ValidationFailed, "a streaming subscription must select exactly one top level field")
	}
	return plan, nil
}

// streamArgs reads the arguments of a <t>_stream field: batch_size (the
// rows per message), cursor (one column, its initial value and ordering)
// and where. The rows are those past the cursor, in cursor order.
func (p *planner) streamArgs(f *selected, t *schema.Table, sel *Select) error {
	var where BoolExp
	var cursor *Compare
	var haveBatch, haveCursor bool
	for _, a := range f.field.Arguments {
		path := f.path.Key("args").Key(a.Name.Value)
		v, err := p.valueOf(a.Value, path)
		if err != nil {
			return err
		}
		switch p.word(a.Name.Value) {
		case "where":
			if v == nil {
				continue
			}
			if where, err = p.boolExp(v, t, path); err != nil {
				return err
			}
		case "batch_size":
			if v == nil {
				return path.Errorf(gqlerr.ValidationFailed, "expected a 32-bit integer for type %q, but found null", "Int")
			}
			val, err := pageValue(v, false, path)
			if err != nil {
				return err
			}
			sel.From.Limit, haveBatch = &val, true
		case "cursor":
			if cursor, err = p.streamCursor(v, t, path, sel); err != nil {
				return err
			}
			haveCursor = true
		}
	}
	if !haveBatch {
		return f.path.Errorf(gqlerr.ValidationFailed, "missing required field '%s'", p.schema.Naming.Field("batch_size"))
	}
	if !haveCursor {
		return f.path.Errorf(gqlerr.ValidationFailed, "missing required field 'cursor'")
	}
	if where != nil {
		sel.From.Where = And{where, *cursor}
	} else {
		sel.From.Where = And{*cursor}
	}
	sel.From.OrderBy = []OrderItem{{Column: sel.Stream.Column, Desc: sel.Stream.Desc, NullsFirst: sel.Stream.Desc}}
	return nil
}

// streamCursor reads the cursor argument: a list of one
// {initial_value: {<column>: value}, ordering: ASC|DESC}.
func (p *planner) streamCursor(v any, t *schema.Table, path gqlerr.Path, sel *Select) (*Compare, error) {
	items, ok := v.([]any)
	if !ok {
		if v == nil {
			return nil, path.Errorf(gqlerr.ValidationFailed, "expected a list, but found null")
		}
		items = []any{v} // a single value stands for a list of one (input coercion)
	}
	if len(items) != 1 {
		return nil, path.Errorf(gqlerr.ValidationFailed, "one streaming column field is expected")
	}
	path = path.Index(0)
	obj, ok := items[0].(*object)
	if !ok {
		return nil, typeMismatch(path, t.Names.StreamCursor, "an object", items[0])
	}
	desc := false
	var initial *object
	var initialPath gqlerr.Path
	for i, k := range obj.keys {
		switch p.word(k) {
		case "initial_value":
			initialPath = path.Key(k)
			if initial, ok = obj.vals[i].(*object); !ok {
				return nil, typeMismatch(initialPath, t.Names.StreamCursorValue, "an object", obj.vals[i])
			}
		case "ordering":
			switch o := obj.vals[i]; o {
			case nil, enumValue("ASC"), "ASC":
			case enumValue("DESC"), "DESC":
				desc = true
			default:
				return nil, path.Key(k).Errorf(gqlerr.ValidationFailed, "expected one of the values [ASC, DESC] for type %q, but found %s", schema.CursorOrdering, describe(o))
			}
		default:
			return nil, path.Errorf(gqlerr.ValidationFailed, "field '%s' not found in type: '%s'", k, t.Names.StreamCursor)
		}
	}
	if initial == nil {
		return nil, path.Errorf(gqlerr.ValidationFailed, "missing required field 'initial_value'")
	}
	if len(initial.keys) != 1 {
		return nil, initialPath.Errorf(gqlerr.ValidationFailed, "exactly one column is expected in the cursor's initial value")
	}
	field := initial.keys[0]
	c := t.ColumnByField[field]
	if c == nil {
		return nil, initialPath.Errorf(gqlerr.ValidationFailed, "field '%s' not found in type: '%s'", field, t.Names.StreamCursorValue)
	}
	valPath := initialPath.Key(field)
	if initial.vals[0] == nil {
		return nil, valPath.Errorf(gqlerr.ValidationFailed, "the cursor's initial value cannot be null")
	}
	written := func(int) bool { return initial.written(field, -1) }
	val, err := operandValue(initial.vals[0], schema.OperandScalar, columnSubject(c), valPath, written)
	if err != nil {
		return nil, err
	}
	val.Cursor = true
	sel.Stream = &StreamCursor{Column: c.Info.Name, Type: c.Type, Desc: desc}
	op := "_gt"
	if desc {
		op = "_lt"
	}
	return &Compare{Column: c.Info.Name, Type: c.Type, Op: op, Value: val}, nil
}
