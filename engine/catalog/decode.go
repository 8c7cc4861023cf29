package catalog

import "fmt"

// The raw* structs mirror the json built by introspectSQL (query.go), key for
// key. SQL NULL decodes to the zero value, except where a pointer tells
// "absent" from "empty".

type rawCatalog struct {
	Tables    []rawTable    `json:"tables"`
	Types     []rawType     `json:"types"`
	Functions []rawFunction `json:"functions"`
}

type rawTable struct {
	OID     uint32          `json:"oid"`
	Schema  string          `json:"schema"`
	Name    string          `json:"name"`
	Kind    string          `json:"kind"`
	Upd     int             `json:"upd"` // pg_relation_is_updatable bits
	Comment string          `json:"comment"`
	Cols    []rawColumn     `json:"cols"`
	Cons    []rawConstraint `json:"cons"`
}

type rawColumn struct {
	Name      string  `json:"name"`
	Num       int16   `json:"num"`
	Type      uint32  `json:"type"`
	SQL       string  `json:"sql"`
	NotNull   bool    `json:"notnull"`
	Default   *string `json:"default"`
	Generated string  `json:"generated"`
	Identity  string  `json:"identity"`
	Comment   string  `json:"comment"`
}

type rawConstraint struct {
	Name      string   `json:"name"`
	Type      string   `json:"type"` // p, u or f
	Cols      []string `json:"cols"`
	RefSchema string   `json:"ref_schema"`
	RefName   string   `json:"ref_name"`
	RefCols   []string `json:"ref_cols"`
}

type rawType struct {
	OID      uint32   `json:"oid"`
	Schema   string   `json:"schema"`
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Category string   `json:"category"`
	Elem     uint32   `json:"elem"`
	Base     uint32   `json:"base"`
	Labels   []string `json:"labels"`
	Comment  string   `json:"comment"`
}

type rawFunction struct {
	OID     uint32       `json:"oid"`
	Schema  string       `json:"schema"`
	Name    string       `json:"name"`
	Args    []rawFuncArg `json:"args"`
	Ret     uint32       `json:"ret"`
	Set     bool         `json:"set"`
	Vol     string       `json:"vol"`
	Comment string       `json:"comment"`
}

type rawFuncArg struct {
	Name    string `json:"name"`
	Type    uint32 `json:"type"`
	Default bool   `json:"default"`
}

// Bits of pg_relation_is_updatable: 1 << CmdType.
const (
	updUpdate = 1 << 2
	updInsert = 1 << 3
	updDelete = 1 << 4
)

func (r *rawTable) table() (*Table, error) {
	t := &Table{
		Name:       QualifiedName{Schema: r.Schema, Name: r.Name},
		OID:        r.OID,
		Kind:       RelKind(r.Kind),
		Columns:    make([]*Column, len(r.Cols)),
		Comment:    r.Comment,
		Insertable: r.Upd&updInsert != 0,
		Updatable:  r.Upd&updUpdate != 0,
		Deletable:  r.Upd&updDelete != 0,
	}
	for i := range r.Cols {
		t.Columns[i] = r.Cols[i].column()
	}
	for _, k := range r.Cons {
		switch k.Type {
		case "p":
			t.PrimaryKey = &Constraint{Name: k.Name, Columns: k.Cols}
		case "u":
			t.Uniques = append(t.Uniques, Constraint{Name: k.Name, Columns: k.Cols})
		case "f":
			if len(k.Cols) != len(k.RefCols) {
				return nil, fmt.Errorf("catalog: foreign key %q on %s: %d columns reference %d",
					k.Name, t.Name, len(k.Cols), len(k.RefCols))
			}
			t.ForeignKeys = append(t.ForeignKeys, ForeignKey{
				Name:       k.Name,
				Columns:    k.Cols,
				RefTable:   QualifiedName{Schema: k.RefSchema, Name: k.RefName},
				RefColumns: k.RefCols,
			})
		default:
			return nil, fmt.Errorf("catalog: constraint %q on %s: unexpected type %q", k.Name, t.Name, k.Type)
		}
	}
	return t, nil
}

func (r *rawColumn) column() *Column {
	c := &Column{
		Name:      r.Name,
		Num:       r.Num,
		TypeOID:   r.Type,
		TypeSQL:   r.SQL,
		Nullable:  !r.NotNull,
		Generated: r.Generated != "",
		Identity:  firstByte(r.Identity),
		Comment:   r.Comment,
	}
	if r.Default != nil {
		c.HasDefault = true
		c.Default = *r.Default
	}
	return c
}

func (r *rawType) typ() *Type {
	return &Type{
		OID:        r.OID,
		Schema:     r.Schema,
		Name:       r.Name,
		Kind:       TypeKind(r.Kind),
		Category:   firstByte(r.Category),
		ElemOID:    r.Elem,
		BaseOID:    r.Base,
		EnumValues: r.Labels,
		Comment:    r.Comment,
	}
}

func (r *rawFunction) function() *Function {
	f := &Function{
		Name:          QualifiedName{Schema: r.Schema, Name: r.Name},
		OID:           r.OID,
		ReturnTypeOID: r.Ret,
		ReturnsSet:    r.Set,
		Volatility:    firstByte(r.Vol),
		Comment:       r.Comment,
	}
	if len(r.Args) > 0 {
		f.Args = make([]FunctionArg, len(r.Args))
		for i, a := range r.Args {
			f.Args[i] = FunctionArg{Name: a.Name, TypeOID: a.Type, HasDefault: a.Default}
		}
	}
	return f
}

// firstByte returns the value of a "char" column: its byte, or 0 when empty.
func firstByte(s string) byte {
	if s == "" {
		return 0
	}
	return s[0]
}
