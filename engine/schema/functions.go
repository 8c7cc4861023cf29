package schema

import (
	"fmt"

	"github.com/graphql-go/graphql"

	"github.com/trellis-gql/trellis/metadata"
)

// Tracked functions become query_root fields <fn> and <fn>_aggregate;
// computed fields become fields of their table's row type. Both take the
// function's client-supplied arguments as one "args" input object, as
// Hasura does (Hasura.Backends.Postgres.Schema.Select): one nullable field
// per argument, named after it (arg_<n> when unnamed), typed by the
// argument's scalar; "args" itself is required when some argument has no
// default, and absent when the function takes none from the client.

// Function is a tracked function exposed in query_root.
type Function struct {
	Meta  *metadata.Function
	Names FunctionNames
	// Table is the table whose rows the function returns.
	Table *Table
	// Args is nil when the function takes no argument from the client.
	Args *ArgsInput
}

// ComputedField is an exposed computed field of a table.
type ComputedField struct {
	Field string
	Meta  *metadata.ComputedField
	// Scalar is the type of a scalar computed field; Target is the table
	// whose rows a table computed field returns (nil for a scalar one).
	Scalar Scalar
	Target *Table
	// Args is nil when the function takes no argument from the client.
	Args *ArgsInput
}

// ArgsInput is the input object of a function's client-supplied arguments.
type ArgsInput struct {
	Name string
	// Fields are the arguments the client gives, in the function's order;
	// All are every input argument of the function, in order.
	Fields  []*FunctionArg
	ByField map[string]*FunctionArg
	All     []metadata.FunctionArg
	// Required is true when some argument has no default: then "args"
	// must be given.
	Required bool
}

// FunctionArg is a client-supplied argument of a function.
type FunctionArg struct {
	Field  string
	Meta   metadata.FunctionArg
	Scalar Scalar
}

// argsInput builds the args input of a function's arguments, or returns
// nil when the client supplies none of them.
func (b *builder) argsInput(name string, args []metadata.FunctionArg) *ArgsInput {
	in := &ArgsInput{Name: name, ByField: map[string]*FunctionArg{}, All: args}
	for _, a := range args {
		if a.Role != metadata.ArgInput {
			continue
		}
		fa := &FunctionArg{Field: b.naming.Field(a.GraphQLName), Meta: a, Scalar: FunctionArgScalar(a.Type)}
		in.Fields = append(in.Fields, fa)
		in.ByField[fa.Field] = fa
		if !a.HasDefault {
			in.Required = true
		}
	}
	if len(in.Fields) == 0 {
		return nil
	}
	return in
}

// withArgs returns the argument names of a field: base plus "args" when
// the function takes arguments from the client.
func withArgs(base map[string]bool, in *ArgsInput) map[string]bool {
	if in == nil {
		return base
	}
	out := make(map[string]bool, len(base)+1)
	for k := range base {
		out[k] = true
	}
	out["args"] = true
	return out
}

// collectComputedFields exposes the computed fields whose names are free
// and whose returned table, if any, is exposed.
func (b *builder) collectComputedFields() {
	for _, t := range b.tables {
		if t.WriteOnly {
			continue
		}
		for _, cf := range t.Meta.ComputedFields {
			// A select permission lists the scalar computed fields a role
			// reads; one that returns rows of a table needs none, the
			// select permission on that table decides (as in Hasura).
			if !validName(cf.Name) || (cf.Table == nil && !t.Perm.Select.HasComputedField(cf.Name)) {
				continue
			}
			if _, clash := t.ColumnByField[cf.Name]; clash {
				continue
			}
			if _, clash := t.RelByField[cf.Name]; clash {
				continue
			}
			c := &ComputedField{Field: cf.Name, Meta: cf}
			if cf.Table != nil {
				if c.Target = b.byName[cf.Table.Info.Name]; c.Target == nil {
					continue
				}
			} else {
				c.Scalar = ScalarFor(cf.Scalar)
			}
			c.Args = b.argsInput(ComputedFieldArgsName(t.Meta, cf.Name, b.naming), cf.Args)
			if c.Args != nil && b.usedTypes[c.Args.Name] {
				continue
			}
			if c.Args != nil {
				b.usedTypes[c.Args.Name] = true
			}
			t.ComputedFields = append(t.ComputedFields, c)
		}
	}
}

// collectFunctions exposes the tracked functions that are queries, whose
// returned table is exposed and whose names are free. VOLATILE functions
// belong to mutation_root (unless exposed_as is "query"), which is not
// built yet: they are left out.
func (b *builder) collectFunctions() {
	for _, mf := range b.model.Functions {
		if mf.ExposedAs != metadata.ExposedAsQuery {
			continue
		}
		t := b.byName[mf.Returns.Info.Name]
		if t == nil {
			continue
		}
		f := &Function{Meta: mf, Names: FunctionNamesFor(mf, b.naming), Table: t}
		f.Args = b.argsInput(f.Names.Args, mf.Args)
		n := f.Names
		if !validName(n.Select) || !validName(n.Aggregate) || !validName(n.Args) {
			b.s.Skipped = append(b.s.Skipped, fmt.Sprintf("function %s: its names are not valid GraphQL names", mf.Info.Name))
			continue
		}
		if clash := b.claimFunctionNames(f); clash != "" {
			b.s.Conflicts = append(b.s.Conflicts, fmt.Sprintf("function %s: the name %q is already used", mf.Info.Name, clash))
			continue
		}
		b.functions = append(b.functions, f)
	}
}

func (b *builder) claimFunctionNames(f *Function) string {
	n := f.Names
	for _, name := range []string{n.Select, n.Aggregate} {
		if b.usedRoots[name] {
			return name
		}
	}
	if f.Args != nil && b.usedTypes[n.Args] {
		return n.Args
	}
	b.usedRoots[n.Select], b.usedRoots[n.Aggregate] = true, true
	if f.Args != nil {
		b.usedTypes[n.Args] = true
	}
	return ""
}

// functionRootFields adds the query_root fields of the tracked functions.
func (b *builder) functionRootFields(root *Object) {
	for _, f := range b.functions {
		n := f.Names
		args := withArgs(b.naming.listArgs(), f.Args)
		root.Fields[n.Select] = &Field{Name: n.Select, Kind: FieldFunction, Table: f.Table, Function: f, Args: args, Type: f.Table.Names.Object}
		if f.Table.Aggregatable() {
			root.Fields[n.Aggregate] = &Field{Name: n.Aggregate, Kind: FieldFunctionAggregate, Table: f.Table, Function: f, Args: args, Type: f.Table.Names.Aggregate}
		}
	}
}

// computedObjectFields adds the computed fields of t to its row type.
func (t *Table) computedObjectFields(obj *Object) {
	for _, c := range t.ComputedFields {
		if c.Target == nil {
			obj.Fields[c.Field] = &Field{Name: c.Field, Kind: FieldComputedScalar, Table: t, Computed: c, Args: withArgs(nil, c.Args), Type: c.Scalar.Name}
			continue
		}
		obj.Fields[c.Field] = &Field{Name: c.Field, Kind: FieldComputedTable, Table: c.Target, Computed: c, Args: withArgs(t.Names.naming.listArgs(), c.Args), Type: c.Target.Names.Object}
	}
}

// ---- graphql-go (introspection) ----

// argsInputType returns the graphql-go input object of an args input,
// building it once.
func (b *builder) argsInputType(in *ArgsInput) *graphql.InputObject {
	if io, ok := b.inputs[in.Name]; ok {
		return io
	}
	fields := graphql.InputObjectConfigFieldMap{}
	for _, a := range in.Fields {
		fields[a.Field] = &graphql.InputObjectFieldConfig{Type: b.scalar(a.Scalar)}
	}
	io := graphql.NewInputObject(graphql.InputObjectConfig{Name: in.Name, Fields: fields})
	b.inputs[in.Name] = io
	return io
}

// argsArgument adds the "args" argument of a function field to args.
func (b *builder) argsArgument(args graphql.FieldConfigArgument, in *ArgsInput, desc string) graphql.FieldConfigArgument {
	if in == nil {
		return args
	}
	if args == nil {
		args = graphql.FieldConfigArgument{}
	}
	var typ graphql.Input = b.argsInputType(in)
	if in.Required {
		typ = graphql.NewNonNull(typ)
	}
	args["args"] = &graphql.ArgumentConfig{Type: typ, Description: desc}
	return args
}

// functionGraphQLFields adds the tracked functions' root fields, with
// Hasura's descriptions: the function's comment (metadata, else
// database), else a generated text.
func (b *builder) functionGraphQLFields(root graphql.Fields) {
	for _, f := range b.functions {
		n, fn, table := f.Names, quotedName(f.Meta.Info.Name.Schema, f.Meta.Info.Name.Name), f.Table.quotedName()
		desc := "execute function " + fn + " which returns " + table
		switch {
		case f.Meta.Comment != nil:
			desc = *f.Meta.Comment
		case f.Meta.Info.Comment != "":
			desc = f.Meta.Info.Comment
		}
		var typ graphql.Output = nonNullList(b.objs[f.Table.Names.Object])
		if !f.Meta.Info.ReturnsSet {
			typ = b.objs[f.Table.Names.Object]
		}
		root[n.Select] = &graphql.Field{
			Type:        typ,
			Args:        b.argsArgument(b.listArgs(f.Table), f.Args, "input parameters for function "+quoted(n.Select)),
			Description: desc,
		}
		root[n.Aggregate] = &graphql.Field{
			Type:        graphql.NewNonNull(b.objs[f.Table.Names.Aggregate]),
			Args:        b.argsArgument(b.listArgs(f.Table), f.Args, "input parameters for function "+quoted(n.Aggregate)),
			Description: "execute function " + fn + " and query aggregates on result of table type " + table,
		}
	}
}

// computedGraphQLFields adds t's computed fields to its row type's fields:
// a nullable scalar, or a nullable list of the target table's rows (Hasura
// generates no aggregate field for computed fields).
func (b *builder) computedGraphQLFields(t *Table, f graphql.Fields) {
	for _, c := range t.ComputedFields {
		desc := "input parameters for computed field " + quoted(c.Field) + " defined on table " + t.quotedName()
		if c.Target == nil {
			f[c.Field] = &graphql.Field{Type: b.scalar(c.Scalar), Args: b.argsArgument(nil, c.Args, desc), Description: c.Meta.Description}
			continue
		}
		f[c.Field] = &graphql.Field{
			Type:        graphql.NewList(graphql.NewNonNull(b.objs[c.Target.Names.Object])),
			Args:        b.argsArgument(b.listArgs(c.Target), c.Args, desc),
			Description: c.Meta.Description,
		}
	}
}

func quoted(s string) string { return `"` + s + `"` }

// quotedName is how Hasura quotes a table or function name in
// descriptions: without the schema when it is "public".
func quotedName(schema, name string) string {
	if schema == "public" {
		return quoted(name)
	}
	return quoted(schema + "." + name)
}
