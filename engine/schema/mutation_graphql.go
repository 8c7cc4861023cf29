package schema

import (
	"fmt"
	"strings"

	"github.com/graphql-go/graphql"

	"github.com/trellis-gql/trellis/metadata"
)

// The graphql-go side of mutation_root (see mutation.go for the lookup
// side): root fields, <t>_mutation_response and the input types, with
// Hasura's descriptions.

// tableLabel names a table in descriptions: schema.name outside "public".
func tableLabel(t *Table) string {
	n := t.Meta.Info.Name
	if n.Schema == "public" {
		return n.Name
	}
	return n.Schema + "." + n.Name
}

// mutationRoot builds mutation_root, or returns nil when there is none.
func (b *builder) mutationRoot() *graphql.Object {
	if b.s.Mutation == nil {
		return nil
	}
	for _, t := range b.tables {
		b.mutationTypes(t)
	}
	fields := graphql.Fields{}
	for _, t := range b.tables {
		b.mutationFields(t, fields)
	}
	return graphql.NewObject(graphql.ObjectConfig{Name: MutationRoot, Description: "mutation root", Fields: fields})
}

// mutationFields adds a table's root fields.
func (b *builder) mutationFields(t *Table, fields graphql.Fields) {
	m, label := t.Mutable.Names, tableLabel(t)
	row, resp := b.objs[t.Names.Object], b.objs[m.Response]
	arg := func(name string, typ graphql.Input, desc string) *graphql.ArgumentConfig {
		return &graphql.ArgumentConfig{Type: typ, Description: desc}
	}
	onConflict := func(args graphql.FieldConfigArgument) graphql.FieldConfigArgument {
		if in, ok := b.inputs[m.OnConflict]; ok {
			args[b.naming.Field("on_conflict")] = arg("on_conflict", in, "upsert condition")
		}
		return args
	}
	crf := t.Meta.Config.CustomRootFields
	if t.Insertable() {
		insert := b.inputs[m.InsertInput]
		fields[m.Insert] = &graphql.Field{
			Type:        resp,
			Description: rootFieldDescription(crf.Insert, fmt.Sprintf("insert data into the table: %q", label)),
			Args:        onConflict(graphql.FieldConfigArgument{"objects": arg("objects", graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(insert))), "the rows to be inserted")}),
		}
		if !t.WriteOnly {
			fields[m.InsertOne] = &graphql.Field{
				Type:        row,
				Description: rootFieldDescription(crf.InsertOne, fmt.Sprintf("insert a single row into the table: %q", label)),
				Args:        onConflict(graphql.FieldConfigArgument{"object": arg("object", graphql.NewNonNull(insert), "the row to be inserted")}),
			}
		}
	}
	if t.Updatable() {
		args := b.updateOperatorArgs(t)
		args["where"] = arg("where", graphql.NewNonNull(b.inputs[t.Names.BoolExp]), "filter the rows which have to be updated")
		fields[m.Update] = &graphql.Field{Type: resp, Args: args, Description: rootFieldDescription(crf.Update, fmt.Sprintf("update data of the table: %q", label))}
		if t.PrimaryKey != nil {
			args := b.updateOperatorArgs(t)
			args[b.naming.Field("pk_columns")] = arg("pk_columns", graphql.NewNonNull(b.inputs[m.PkColumns]), "")
			fields[m.UpdateByPk] = &graphql.Field{Type: row, Args: args, Description: rootFieldDescription(crf.UpdateByPk, fmt.Sprintf("update single row of the table: %q", label))}
		}
		fields[m.UpdateMany] = &graphql.Field{
			Type:        graphql.NewList(resp),
			Description: rootFieldDescription(crf.UpdateMany, fmt.Sprintf("update multiples rows of table: %q", label)),
			Args:        graphql.FieldConfigArgument{"updates": arg("updates", graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(b.inputs[m.Updates]))), "updates to execute, in order")},
		}
	}
	if t.Deletable() {
		fields[m.Delete] = &graphql.Field{
			Type:        resp,
			Description: rootFieldDescription(crf.Delete, fmt.Sprintf("delete data from the table: %q", label)),
			Args:        graphql.FieldConfigArgument{"where": arg("where", graphql.NewNonNull(b.inputs[t.Names.BoolExp]), "filter the rows which have to be deleted")},
		}
		if t.PrimaryKey != nil {
			args := graphql.FieldConfigArgument{}
			for _, c := range t.PrimaryKey {
				args[c.Field] = &graphql.ArgumentConfig{Type: graphql.NewNonNull(b.columnType(c.Scalar))}
			}
			fields[m.DeleteByPk] = &graphql.Field{Type: row, Args: args, Description: rootFieldDescription(crf.DeleteByPk, fmt.Sprintf("delete single row from the table: %q", label))}
		}
	}
}

// updateOperatorArgs are _set, _inc and the jsonb operators a table has.
func (b *builder) updateOperatorArgs(t *Table) graphql.FieldConfigArgument {
	m := t.Mutable.Names
	args := graphql.FieldConfigArgument{}
	if in, ok := b.inputs[m.SetInput]; ok {
		args["_set"] = &graphql.ArgumentConfig{Type: in, Description: "sets the columns of the filtered rows to the given values"}
	}
	if in, ok := b.inputs[m.IncInput]; ok {
		args["_inc"] = &graphql.ArgumentConfig{Type: in, Description: "increments the numeric columns with given value of the filtered values"}
	}
	for _, op := range JSONBOps {
		if in, ok := b.inputs[m.JSONOps[op.Arg]]; ok {
			args[b.naming.Op(op.Arg)] = &graphql.ArgumentConfig{Type: in, Description: op.Desc}
		}
	}
	return args
}

// mutationTypes declares a table's mutation types. Relationship fields of
// the insert input are thunks: the target's inputs may come later.
func (b *builder) mutationTypes(t *Table) {
	m, label := t.Mutable.Names, tableLabel(t)
	if !t.Insertable() && !t.Updatable() && !t.Deletable() {
		return
	}
	b.objs[m.Response] = graphql.NewObject(graphql.ObjectConfig{
		Name:        m.Response,
		Description: fmt.Sprintf("response of any mutation on the table %q", label),
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			fields := graphql.Fields{
				b.naming.Field("affected_rows"): {Type: graphql.NewNonNull(graphql.Int), Description: "number of rows affected by the mutation"},
			}
			if !t.WriteOnly {
				fields["returning"] = &graphql.Field{Type: nonNullList(b.objs[t.Names.Object]), Description: "data from the rows affected by the mutation"}
			}
			return fields
		}),
	})
	if len(t.Mutable.Constraints) > 0 {
		b.conflictTypes(t)
	}
	if t.Insertable() {
		b.insertTypes(t)
	}
	if t.Updatable() {
		b.updateTypes(t)
	}
	if t.PrimaryKey != nil {
		f := graphql.InputObjectConfigFieldMap{}
		for _, c := range t.PrimaryKey {
			f[c.Field] = &graphql.InputObjectFieldConfig{Type: graphql.NewNonNull(b.columnType(c.Scalar))}
		}
		b.inputs[m.PkColumns] = graphql.NewInputObject(graphql.InputObjectConfig{
			Name: m.PkColumns, Fields: f,
			Description: "primary key columns input for table: " + tableBaseName(t.Meta),
		})
	}
}

// conflictTypes declares <t>_constraint, <t>_update_column and
// <t>_on_conflict.
func (b *builder) conflictTypes(t *Table) {
	m, label := t.Mutable.Names, tableLabel(t)
	cons := graphql.EnumValueConfigMap{}
	for _, c := range t.Mutable.Constraints {
		quoted := make([]string, len(c.Columns))
		for i, col := range c.Columns {
			quoted[i] = fmt.Sprintf("%q", col)
		}
		cons[b.naming.EnumValue(c.Name)] = &graphql.EnumValueConfig{Value: c.Name, Description: "unique or primary key constraint on columns " + strings.Join(quoted, ", ")}
	}
	b.enums[m.Constraint] = graphql.NewEnum(graphql.EnumConfig{Name: m.Constraint, Values: cons, Description: fmt.Sprintf("unique or primary key constraints on table %q", label)})
	cols := graphql.EnumValueConfigMap{}
	for _, c := range t.Mutable.Updatable {
		cols[b.naming.EnumValue(c.Field)] = &graphql.EnumValueConfig{Value: c.Field, Description: "column name"}
	}
	if len(cols) == 0 {
		cols["_PLACEHOLDER"] = &graphql.EnumValueConfig{Value: "_PLACEHOLDER", Description: "placeholder (do not use)"}
	}
	b.enums[m.UpdateColumn] = graphql.NewEnum(graphql.EnumConfig{Name: m.UpdateColumn, Values: cols, Description: fmt.Sprintf("update columns of table %q", label)})
	b.inputs[m.OnConflict] = graphql.NewInputObject(graphql.InputObjectConfig{
		Name:        m.OnConflict,
		Description: fmt.Sprintf("on_conflict condition type for table %q", label),
		Fields: graphql.InputObjectConfigFieldMapThunk(func() graphql.InputObjectConfigFieldMap {
			return graphql.InputObjectConfigFieldMap{
				"constraint":                     {Type: graphql.NewNonNull(b.enums[m.Constraint])},
				b.naming.Field("update_columns"): {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(b.enums[m.UpdateColumn]))), DefaultValue: []any{}},
				"where":                          {Type: b.inputs[t.Names.BoolExp]},
			}
		}),
	})
}

// insertTypes declares <t>_insert_input and the relationship inputs.
func (b *builder) insertTypes(t *Table) {
	m, label := t.Mutable.Names, tableLabel(t)
	b.inputs[m.InsertInput] = graphql.NewInputObject(graphql.InputObjectConfig{
		Name:        m.InsertInput,
		Description: fmt.Sprintf("input type for inserting data into table %q", label),
		Fields: graphql.InputObjectConfigFieldMapThunk(func() graphql.InputObjectConfigFieldMap {
			f := graphql.InputObjectConfigFieldMap{}
			for _, c := range t.Mutable.Insertable {
				f[c.Field] = &graphql.InputObjectFieldConfig{Type: b.columnType(c.Scalar), Description: c.Info.Comment}
			}
			for _, r := range t.Relationships {
				rm := r.Target.Mutable.Names
				name := rm.ArrInput
				if r.Meta.Kind == metadata.ObjectRel {
					name = rm.ObjRelInput
				}
				if in, ok := b.inputs[name]; ok {
					f[r.Field] = &graphql.InputObjectFieldConfig{Type: in, Description: r.Meta.Comment}
				}
			}
			return f
		}),
	})
	relInput := func(name, what string, data graphql.Input) {
		fields := graphql.InputObjectConfigFieldMap{"data": {Type: data}}
		if in, ok := b.inputs[m.OnConflict]; ok {
			fields[b.naming.Field("on_conflict")] = &graphql.InputObjectFieldConfig{Type: in, Description: "upsert condition"}
		}
		b.inputs[name] = graphql.NewInputObject(graphql.InputObjectConfig{
			Name: name, Fields: fields,
			Description: fmt.Sprintf("input type for inserting %s relation for remote table %q", what, label),
		})
	}
	insert := b.inputs[m.InsertInput]
	relInput(m.ObjRelInput, "object", graphql.NewNonNull(insert))
	relInput(m.ArrInput, "array", graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(insert))))
}

// updateTypes declares <t>_set_input, <t>_inc_input, the jsonb operator
// inputs and <t>_updates.
func (b *builder) updateTypes(t *Table) {
	m, label := t.Mutable.Names, tableLabel(t)
	input := func(name, desc string, keep func(*Column) bool, typ func(*Column) graphql.Input) {
		f := graphql.InputObjectConfigFieldMap{}
		for _, c := range t.Mutable.Updatable {
			if keep(c) {
				f[c.Field] = &graphql.InputObjectFieldConfig{Type: typ(c), Description: c.Info.Comment}
			}
		}
		if len(f) > 0 {
			b.inputs[name] = graphql.NewInputObject(graphql.InputObjectConfig{Name: name, Fields: f, Description: desc})
		}
	}
	value := func(c *Column) graphql.Input { return b.columnType(c.Scalar) }
	input(m.SetInput, fmt.Sprintf("input type for updating data in table %q", label), func(*Column) bool { return true }, value)
	input(m.IncInput, fmt.Sprintf("input type for incrementing numeric columns in table %q", label), (*Column).Numeric, value)
	for _, op := range JSONBOps {
		typ := value
		switch op.Arg {
		case "_delete_key":
			typ = func(*Column) graphql.Input { return graphql.String }
		case "_delete_elem":
			typ = func(*Column) graphql.Input { return graphql.Int }
		case "_delete_at_path":
			typ = func(*Column) graphql.Input { return graphql.NewList(graphql.NewNonNull(graphql.String)) }
		}
		input(m.JSONOps[op.Arg], op.Desc, (*Column).JSONB, typ)
	}
	fields := graphql.InputObjectConfigFieldMap{}
	for name, a := range b.updateOperatorArgs(t) {
		fields[name] = &graphql.InputObjectFieldConfig{Type: a.Type, Description: a.Description}
	}
	fields["where"] = &graphql.InputObjectFieldConfig{Type: graphql.NewNonNull(b.inputs[t.Names.BoolExp]), Description: "filter the rows which have to be updated"}
	b.inputs[m.Updates] = graphql.NewInputObject(graphql.InputObjectConfig{Name: m.Updates, Fields: fields})
}
