package catalog

import (
	"reflect"
	"strings"
	"testing"
)

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"not json", `{"tables":`, "decode introspection result"},
		{"unpaired foreign key",
			`{"tables":[{"schema":"s","name":"t","cons":[{"name":"fk","type":"f","cols":["a","b"],"ref_cols":["a"]}]}]}`,
			`foreign key "fk" on s.t: 2 columns reference 1`},
		{"unknown constraint type",
			`{"tables":[{"schema":"s","name":"t","cons":[{"name":"x","type":"c"}]}]}`,
			`constraint "x" on s.t: unexpected type "c"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decode([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("decode error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestDecodeChars(t *testing.T) {
	c, err := decode([]byte(`{
		"tables":[{"oid":7,"schema":"s","name":"t","kind":"v","upd":8,"cols":[
			{"name":"a","num":1,"type":23,"notnull":true,"identity":"d","generated":""},
			{"name":"b","num":2,"type":23,"default":"","generated":"s"}]}],
		"types":[{"oid":23,"schema":"pg_catalog","name":"int4","kind":"b","category":"N"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	tb := c.Table(QualifiedName{Schema: "s", Name: "t"})
	if tb == nil || !tb.Insertable || tb.Updatable || tb.Deletable {
		t.Fatalf("table = %+v, want insertable only", tb)
	}
	if a := tb.Column("a"); a.Identity != 'd' || a.Nullable || a.HasDefault || a.Generated {
		t.Errorf("a = %+v", a)
	}
	if b := tb.Column("b"); b.Identity != 0 || !b.Nullable || !b.HasDefault || !b.Generated {
		t.Errorf("b = %+v", b)
	}
	if typ := c.Type(23); typ == nil || typ.Category != 'N' || typ.Kind != TypeBase {
		t.Errorf("int4 = %+v", typ)
	}
}

func TestDecodeFunctions(t *testing.T) {
	c, err := decode([]byte(`{"tables":[],"types":[],"functions":[
		{"oid":10,"schema":"s","name":"f","args":null,"ret":23,"set":false,"vol":"v","comment":null},
		{"oid":11,"schema":"s","name":"f","args":[{"name":null,"type":23,"default":false},{"name":"b","type":25,"default":true}],
		 "ret":25,"set":true,"vol":"s","comment":"two"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	fs := c.Function(QualifiedName{Schema: "s", Name: "f"})
	if len(fs) != 2 || fs[0].OID != 10 || fs[1].OID != 11 {
		t.Fatalf("overloads = %+v, want OIDs 10 and 11 in order", fs)
	}
	if f := fs[0]; f.Args != nil || f.Volatility != 'v' || f.ReturnsSet || f.ReturnTypeOID != 23 || f.Comment != "" {
		t.Errorf("f() = %+v", f)
	}
	want := []FunctionArg{{TypeOID: 23}, {Name: "b", TypeOID: 25, HasDefault: true}}
	if f := fs[1]; !reflect.DeepEqual(f.Args, want) || f.Volatility != 's' || !f.ReturnsSet || f.Comment != "two" {
		t.Errorf("f(int4, text) = %+v", f)
	}
	if c.Function(QualifiedName{Schema: "s", Name: "g"}) != nil {
		t.Error("unknown function found")
	}
}
