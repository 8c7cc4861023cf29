package schema

import (
	"strings"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/metadata"
	"github.com/trellis-gql/trellis/permissions"
)

// mutation_root: per table, Hasura's insert_<t>, insert_<t>_one,
// update_<t>, update_<t>_by_pk, update_<t>_many, delete_<t> and
// delete_<t>_by_pk (Hasura.GraphQL.Schema.Mutation), each present when the
// relation allows the operation (a view that is not auto-updatable gets
// none) and, for _by_pk, when it has a primary key whose columns are all
// exposed.

// Mutation field kinds, after the query ones (model.go).
const (
	FieldInsert       FieldKind = iota + 100 // insert_<t>
	FieldInsertOne                           // insert_<t>_one
	FieldUpdate                              // update_<t>
	FieldUpdateByPk                          // update_<t>_by_pk
	FieldUpdateMany                          // update_<t>_many
	FieldDelete                              // delete_<t>
	FieldDeleteByPk                          // delete_<t>_by_pk
	FieldAffectedRows                        // affected_rows (in <t>_mutation_response)
	FieldReturning                           // returning (in <t>_mutation_response)
)

// Mutation object kinds, after the query ones.
const (
	ObjMutationRoot     ObjectKind = iota + 100 // mutation_root
	ObjMutationResponse                         // <t>_mutation_response
)

// MutationNames are the generated names of a table's mutation root fields
// and input types.
type MutationNames struct {
	Insert, InsertOne                  string // insert_author, insert_author_one
	Update, UpdateByPk, UpdateMany     string // update_author, update_author_by_pk, update_author_many
	Delete, DeleteByPk                 string // delete_author, delete_author_by_pk
	Response                           string // author_mutation_response
	InsertInput, ObjRelInput, ArrInput string // author_insert_input, author_obj_rel_insert_input, author_arr_rel_insert_input
	OnConflict, Constraint             string // author_on_conflict, author_constraint
	UpdateColumn                       string // author_update_column
	SetInput, IncInput                 string // author_set_input, author_inc_input
	PkColumns, Updates                 string // author_pk_columns_input, author_updates
	// JSONOps maps a jsonb operator argument (_append, …) to its input.
	JSONOps map[string]string
}

// JSONBOps are the update operators of jsonb columns, in schema order,
// with the suffix of their input type and their descriptions.
var JSONBOps = []struct{ Arg, Suffix, Desc string }{
	{"_append", "append_input", "append existing jsonb value of filtered columns with new jsonb value"},
	{"_delete_at_path", "delete_at_path_input", "delete the field or element with specified path (for JSON arrays, negative integers count from the end)"},
	{"_delete_elem", "delete_elem_input", "delete the array element with specified index (negative integers count from the end). throws an error if top level container is not an array"},
	{"_delete_key", "delete_key_input", "delete key/value pair or string element. key/value pairs are matched based on their key value"},
	{"_prepend", "prepend_input", "prepend existing jsonb value of filtered columns with new jsonb value"},
}

// MutationNamesFor returns the mutation names of a table, honouring
// custom_root_fields.
func MutationNamesFor(t *metadata.Table, n TypeNames) MutationNames {
	nc, base, crf := n.naming, n.base, t.Config.CustomRootFields
	m := MutationNames{
		Insert:       orDefault(crf.Insert.Name, nc.Field("insert_"+base)),
		InsertOne:    orDefault(crf.InsertOne.Name, nc.Field("insert_"+base+"_one")),
		Update:       orDefault(crf.Update.Name, nc.Field("update_"+base)),
		UpdateByPk:   orDefault(crf.UpdateByPk.Name, nc.Field("update_"+base+"_by_pk")),
		UpdateMany:   orDefault(crf.UpdateMany.Name, nc.Field("update_"+base+"_many")),
		Delete:       orDefault(crf.Delete.Name, nc.Field("delete_"+base)),
		DeleteByPk:   orDefault(crf.DeleteByPk.Name, nc.Field("delete_"+base+"_by_pk")),
		Response:     n.Derived("mutation_response"),
		InsertInput:  n.Derived("insert_input"),
		ObjRelInput:  n.Derived("obj_rel_insert_input"),
		ArrInput:     n.Derived("arr_rel_insert_input"),
		OnConflict:   n.Derived("on_conflict"),
		Constraint:   n.Derived("constraint"),
		UpdateColumn: n.Derived("update_column"),
		SetInput:     n.Derived("set_input"),
		IncInput:     n.Derived("inc_input"),
		PkColumns:    n.Derived("pk_columns_input"),
		Updates:      n.Derived("updates"),
		JSONOps:      map[string]string{},
	}
	for _, op := range JSONBOps {
		m.JSONOps[op.Arg] = n.Derived(op.Suffix)
	}
	return m
}

// Mutable is what a client may do to a table through mutation_root.
type Mutable struct {
	Names MutationNames
	// Insertable are the columns an insert may set, Updatable those an
	// update may: generated columns and identity columns GENERATED ALWAYS
	// are left out, as Hasura does.
	Insertable, Updatable []*Column
	// Constraints are the primary key and unique constraints, the
	// values of <t>_constraint.
	Constraints []catalog.Constraint
}

// Numeric reports whether _inc applies to a column.
func (c *Column) Numeric() bool { return c.Scalar.Numeric && !c.Scalar.Array }

// JSONB reports whether the jsonb operators (_append, …) apply to a column.
func (c *Column) JSONB() bool { return isJSONB(c.Scalar) && !c.Scalar.Array }

// mutable fills t.Mutable: the columns the role's insert and update
// permissions list, less those they preset.
func (t *Table) mutable() {
	info := t.Meta.Info
	m := &Mutable{Names: MutationNamesFor(t.Meta, t.Names)}
	ins, upd := t.Perm.Insert, t.Perm.Update
	for _, c := range t.allColumns {
		if c.Info.Generated {
			continue
		}
		if ins != nil && c.Info.Identity != 'a' && ins.Columns.Has(c.Info.Name) && !presets(ins.Set, c) {
			m.Insertable = append(m.Insertable, c)
		}
		if upd != nil && upd.Columns.Has(c.Info.Name) && !presets(upd.Set, c) {
			m.Updatable = append(m.Updatable, c)
		}
	}
	if info.PrimaryKey != nil {
		m.Constraints = append(m.Constraints, *info.PrimaryKey)
	}
	m.Constraints = append(m.Constraints, info.Uniques...)
	t.Mutable = m
}

// presets reports whether a permission's presets set column c.
func presets(set []permissions.Preset, c *Column) bool {
	for _, p := range set {
		if p.Column.Name == c.Info.Name {
			return true
		}
	}
	return false
}

// Insertable, Updatable and Deletable report whether the role may run the
// operation on the table: the relation allows it and the role has a
// permission for it that is not backend_only.
func (t *Table) Insertable() bool {
	p := t.Perm.Insert
	return t.Meta.Info.Insertable && p != nil && !p.BackendOnly
}

// Updatable: see Insertable.
func (t *Table) Updatable() bool {
	p := t.Perm.Update
	return t.Meta.Info.Updatable && p != nil && !p.BackendOnly
}

// Deletable: see Insertable.
func (t *Table) Deletable() bool {
	p := t.Perm.Delete
	return t.Meta.Info.Deletable && p != nil && !p.BackendOnly
}

// ColumnByName returns the exposed column with the given database name.
func (t *Table) ColumnByName(name string) *Column {
	for _, c := range t.Columns {
		if c.Info.Name == name {
			return c
		}
	}
	return nil
}

// mutationLookup fills mutation_root and the <t>_mutation_response objects;
// a role that sees no table has no mutation_root.
func (b *builder) mutationLookup() {
	if len(b.tables) == 0 {
		return
	}
	root := &Object{Name: MutationRoot, Kind: ObjMutationRoot, Fields: map[string]*Field{}}
	b.s.Mutation = root
	b.s.mutationObjs = map[string]*Object{}
	for _, t := range b.tables {
		t.mutable()
		m := t.Mutable.Names
		add := func(name string, kind FieldKind, typ string, args ...string) {
			f := &Field{Name: name, Kind: kind, Table: t, Type: typ, Args: map[string]bool{}}
			for _, a := range args {
				f.Args[b.naming.Arg(a)] = true
			}
			root.Fields[name] = f
		}
		updateArgs := []string{"_set", "_inc"}
		for _, op := range JSONBOps {
			updateArgs = append(updateArgs, op.Arg)
		}
		if t.Insertable() {
			add(m.Insert, FieldInsert, m.Response, "objects", "on_conflict")
			if !t.WriteOnly { // insert_<t>_one answers the row
				add(m.InsertOne, FieldInsertOne, t.Names.Object, "object", "on_conflict")
			}
		}
		if t.Updatable() {
			add(m.Update, FieldUpdate, m.Response, append(updateArgs, "where")...)
			if t.PrimaryKey != nil {
				add(m.UpdateByPk, FieldUpdateByPk, t.Names.Object, append(updateArgs, "pk_columns")...)
			}
			add(m.UpdateMany, FieldUpdateMany, m.Response, "updates")
		}
		if t.Deletable() {
			add(m.Delete, FieldDelete, m.Response, "where")
			if t.PrimaryKey != nil {
				add(m.DeleteByPk, FieldDeleteByPk, t.Names.Object)
				for _, c := range t.PrimaryKey {
					root.Fields[m.DeleteByPk].Args[c.Field] = true
				}
			}
		}
		if t.Insertable() || t.Updatable() || t.Deletable() {
			resp := &Object{Name: m.Response, Kind: ObjMutationResponse, Table: t, Fields: map[string]*Field{
				b.naming.Field("affected_rows"): {Name: b.naming.Field("affected_rows"), Kind: FieldAffectedRows, Table: t, Type: "Int"},
			}}
			if !t.WriteOnly { // returning answers rows
				resp.Fields["returning"] = &Field{Name: "returning", Kind: FieldReturning, Table: t, Type: t.Names.Object}
			}
			b.s.mutationObjs[m.Response] = resp
		}
	}
	if len(root.Fields) == 0 {
		b.s.Mutation = nil // nothing is writable: no mutation_root
	}
}

// Arg names a generated argument or input field: _delete_at_path is an
// operator (_deleteAtPath in graphql-default), the rest are fields.
func (n Naming) Arg(s string) string {
	if strings.HasPrefix(s, "_") {
		return n.Op(s)
	}
	return n.Field(s)
}

// mutationObject returns mutation_root or a <t>_mutation_response, or nil.
func (s *Schema) mutationObject(name string) *Object {
	if name == MutationRoot {
		return s.Mutation
	}
	return s.mutationObjs[name]
}

// EnumValueName names a generated enum value of the table's types (a
// constraint of <t>_constraint) in its convention.
func (n TypeNames) EnumValueName(s string) string { return n.naming.EnumValue(s) }
