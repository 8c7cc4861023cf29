package catalog

// QualifiedName names a relation or a type: schema and name, unquoted.
type QualifiedName struct {
	Schema string `json:"schema" yaml:"schema"`
	Name   string `json:"name" yaml:"name"`
}

func (q QualifiedName) String() string { return q.Schema + "." + q.Name }

// RelKind is the kind of a relation.
type RelKind string

// Relation kinds, as in pg_class.relkind.
const (
	KindTable            RelKind = "r"
	KindPartitionedTable RelKind = "p"
	KindView             RelKind = "v"
	KindMaterializedView RelKind = "m"
	KindForeignTable     RelKind = "f"
)

// TypeKind is the kind of a type, as in pg_type.typtype (plus arrays).
type TypeKind string

// Type kinds.
const (
	TypeBase       TypeKind = "b"
	TypeComposite  TypeKind = "c"
	TypeDomain     TypeKind = "d"
	TypeEnum       TypeKind = "e"
	TypePseudo     TypeKind = "p"
	TypeRange      TypeKind = "r"
	TypeMultirange TypeKind = "m"
)

// Type is a PostgreSQL type a column may have.
type Type struct {
	OID    uint32
	Schema string
	Name   string // pg_type.typname: "int4", "_text", "mood"
	Kind   TypeKind
	// Category is pg_type.typcategory: 'N' numeric, 'S' string, 'B' boolean,
	// 'D' date/time, 'A' array, 'E' enum, 'U' user-defined, …
	Category byte
	// ElemOID is the element type of an array type, 0 otherwise.
	ElemOID uint32
	// BaseOID is the base type of a domain, 0 otherwise.
	BaseOID uint32
	// EnumValues lists an enum's labels in their declared order.
	EnumValues []string
	Comment    string
}

// IsArray reports whether t is an array type.
func (t *Type) IsArray() bool { return t.ElemOID != 0 }

// Column is one column of a relation.
type Column struct {
	Name    string
	Num     int16 // pg_attribute.attnum
	TypeOID uint32
	// TypeSQL is format_type(atttypid, atttypmod): "character varying(3)".
	TypeSQL    string
	Nullable   bool
	HasDefault bool
	Default    string // the default expression's text, "" when none
	// Generated is true for GENERATED ALWAYS AS (…) STORED columns.
	Generated bool
	// Identity is 'a' (ALWAYS), 'd' (BY DEFAULT) or 0.
	Identity byte
	Comment  string
}

// Constraint is a primary key or unique constraint.
type Constraint struct {
	Name    string
	Columns []string // in key order
}

// ForeignKey is a foreign key constraint; Columns[i] references RefColumns[i].
type ForeignKey struct {
	Name       string
	Columns    []string
	RefTable   QualifiedName
	RefColumns []string
}

// Table is a table, view, materialized view or foreign table.
type Table struct {
	Name        QualifiedName
	OID         uint32
	Kind        RelKind
	Columns     []*Column // in attnum order
	PrimaryKey  *Constraint
	Uniques     []Constraint
	ForeignKeys []ForeignKey
	Comment     string
	// Insertable, Updatable and Deletable are true for tables and for
	// auto-updatable views.
	Insertable, Updatable, Deletable bool
}

// Column returns the column with the given name, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Function is a SQL function (pg_proc, prokind 'f') outside the system schemas.
type Function struct {
	Name QualifiedName
	OID  uint32
	// Args in order: name ("" when unnamed), type OID, and whether it has a default.
	Args          []FunctionArg
	ReturnTypeOID uint32
	ReturnsSet    bool
	// Volatility: 'i' immutable, 's' stable, 'v' volatile.
	Volatility byte
	Comment    string
}

// FunctionArg is an input argument (IN, INOUT or VARIADIC) of a function.
type FunctionArg struct {
	Name       string
	TypeOID    uint32
	HasDefault bool
}

// Catalog is the introspected database. It is immutable once loaded.
type Catalog struct {
	Tables    map[QualifiedName]*Table
	Types     map[uint32]*Type
	Functions map[QualifiedName][]*Function // overloads share a name
	// EnumRows holds the rows of the enum tables read so far (see
	// LoadEnumRows); a table that is not there has not been read.
	EnumRows map[QualifiedName][]EnumRow
}

// Table returns the relation with the given name, or nil.
func (c *Catalog) Table(n QualifiedName) *Table { return c.Tables[n] }

// Type returns the type with the given OID, or nil.
func (c *Catalog) Type(oid uint32) *Type { return c.Types[oid] }

// Function returns the overloads of the function with the given name, in
// OID order, or nil.
func (c *Catalog) Function(n QualifiedName) []*Function { return c.Functions[n] }
