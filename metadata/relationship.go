package metadata

import (
	"github.com/trellis-gql/trellis/engine/catalog"
)

// relationshipDefinition is the definition Hasura reports with a broken
// relationship: the relationship with its table and source.
type relationshipDefinition struct {
	Name    string            `json:"name"`
	Using   RelationshipUsing `json:"using"`
	Comment *string           `json:"comment"`
	Source  string            `json:"source"`
	Table   TableName         `json:"table"`
}

func (k RelKind) String() string {
	if k == ArrayRel {
		return "array_relation"
	}
	return "object_relation"
}

// relPlan is a relationship whose join is known but whose dependencies
// (target tracked, manual columns present) are not yet checked.
type relPlan struct {
	target      catalog.QualifiedName
	mapping     []ColumnPair
	manual      bool
	insertOrder string
}

// relationships resolves the relationships of t, written in entry e (the
// owner-th table entry), in metadata order: object ones, then array ones.
func (r *resolver) relationships(t *Table, e *TableEntry, owner int) {
	seen := make(map[string]RelKind)
	for i := range e.ObjectRelationships {
		r.relationship(t, &e.ObjectRelationships[i], ObjectRel, seen, owner)
	}
	for i := range e.ArrayRelationships {
		r.relationship(t, &e.ArrayRelationships[i], ArrayRel, seen, owner)
	}
}

// relationship checks one relationship in Hasura's order (the join, then
// name clashes, then dependencies) and adds it to t or reports it.
func (r *resolver) relationship(t *Table, e *RelationshipEntry, kind RelKind, seen map[string]RelKind, owner int) {
	name := kind.String() + " " + e.Name + " in table " + tableText(t.Info.Name) + " in source " + r.source
	plan, reason := r.plan(t, e, kind)
	if reason == "" {
		reason = nameClash(t, e.Name, kind, seen, name)
	}
	var target *Table
	if reason == "" {
		target, reason = r.dependencies(t, plan)
	}
	if reason != "" {
		def := relationshipDefinition{Name: e.Name, Using: e.Using, Source: r.source, Table: t.Info.Name}
		if e.Comment != "" {
			def.Comment = &e.Comment
		}
		r.issues[owner] = append(r.issues[owner], Inconsistency{Type: kind.String(), Name: name, Reason: reason, Definition: def})
		return
	}
	seen[e.Name] = kind
	rel := &Relationship{
		Name:        e.Name,
		Kind:        kind,
		Comment:     e.Comment,
		Target:      target,
		Mapping:     plan.mapping,
		Manual:      plan.manual,
		InsertOrder: plan.insertOrder,
	}
	if kind == ArrayRel {
		t.ArrayRelationships = append(t.ArrayRelationships, rel)
	} else {
		t.ObjectRelationships = append(t.ObjectRelationships, rel)
	}
}

// plan works out the join of a relationship, or why it has none.
func (r *resolver) plan(t *Table, e *RelationshipEntry, kind RelKind) (relPlan, string) {
	inRel := inconsistentPrefix + "in table " + dquote(tableText(t.Info.Name)) +
		": in relationship " + dquote(e.Name) + ": "
	switch u := e.Using; {
	case u.ManualConfiguration != nil:
		mc := u.ManualConfiguration
		p := relPlan{
			target:      mc.RemoteTable,
			mapping:     append([]ColumnPair(nil), mc.ColumnMapping...),
			manual:      true,
			insertOrder: InsertAfterParent,
		}
		if kind == ObjectRel {
			p.insertOrder = InsertBeforeParent
			if mc.InsertionOrder != "" {
				p.insertOrder = mc.InsertionOrder
			}
		}
		if len(p.mapping) == 0 {
			return p, inRel + "column_mapping is empty"
		}
		return p, ""
	case u.ForeignKeyConstraintOn == nil:
		return relPlan{}, inRel + "neither foreign_key_constraint_on nor manual_configuration is given"
	case u.ForeignKeyConstraintOn.Table == nil:
		if kind == ArrayRel {
			return relPlan{}, inRel + "the foreign_key_constraint_on of an array relationship must name the referencing table"
		}
		return sameTableKey(t, u.ForeignKeyConstraintOn.Columns, inRel)
	default:
		return r.remoteKey(t, *u.ForeignKeyConstraintOn, kind, inRel)
	}
}

// sameTableKey follows the foreign key of t on columns.
func sameTableKey(t *Table, columns []string, inRel string) (relPlan, string) {
	var keys []catalog.ForeignKey
	for _, fk := range t.Info.ForeignKeys {
		if sameColumnSet(fk.Columns, columns) {
			keys = append(keys, fk)
		}
	}
	if reason := keyCount(len(keys), inRel); reason != "" {
		return relPlan{}, reason
	}
	fk := keys[0]
	p := relPlan{target: fk.RefTable, insertOrder: InsertBeforeParent}
	for i, c := range fk.Columns {
		p.mapping = append(p.mapping, ColumnPair{From: c, To: fk.RefColumns[i]})
	}
	return p, ""
}

// remoteKey follows a foreign key of the table on, on its columns, that
// references t.
func (r *resolver) remoteKey(t *Table, on ForeignKeyOn, kind RelKind, inRel string) (relPlan, string) {
	remote := r.tracked[*on.Table]
	if remote == nil {
		return relPlan{}, inRel + "table " + dquote(tableText(*on.Table)) + " does not exist in source: " + r.source
	}
	var keys []catalog.ForeignKey
	for _, fk := range remote.Info.ForeignKeys {
		if fk.RefTable == t.Info.Name && sameColumnSet(fk.Columns, on.Columns) {
			keys = append(keys, fk)
		}
	}
	if reason := keyCount(len(keys), inRel); reason != "" {
		return relPlan{}, reason
	}
	fk := keys[0]
	p := relPlan{target: *on.Table, insertOrder: InsertAfterParent}
	for i, c := range fk.Columns {
		p.mapping = append(p.mapping, ColumnPair{From: fk.RefColumns[i], To: c})
	}
	return p, ""
}

func keyCount(n int, inRel string) string {
	switch {
	case n == 0:
		return inRel + "no foreign constraint exists on the given column(s)"
	case n > 1:
		return inRel + "more than one foreign key constraint exists on the given column(s)"
	}
	return ""
}

// sameColumnSet reports whether a and b hold the same columns.
func sameColumnSet(a, b []string) bool {
	in := func(s string, list []string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	}
	for _, x := range a {
		if !in(x, b) {
			return false
		}
	}
	for _, x := range b {
		if !in(x, a) {
			return false
		}
	}
	return true
}

// nameClash reports a relationship whose name is taken by an earlier
// relationship or by a column, or whose fields take a column's custom name.
func nameClash(t *Table, rel string, kind RelKind, seen map[string]RelKind, objName string) string {
	if prev, ok := seen[rel]; ok {
		if prev == kind {
			return "multiple definitions for " + objName
		}
		return "Inconsistent objects: conflicting definitions for field " + dquote(rel)
	}
	fields := []string{rel}
	if kind == ArrayRel {
		fields = append(fields, rel+"_aggregate")
	}
	for _, f := range fields {
		for _, c := range t.Columns {
			if c.Name != f && columnField(&t.Config, c.Name) == f {
				return inconsistentPrefix + "field definition conflicts with custom field name for postgres column " + dquote(c.Name)
			}
		}
	}
	if t.Info.Column(rel) != nil {
		return inconsistentPrefix + "field definition conflicts with postgres column"
	}
	return ""
}

// dependencies checks that the columns of a manual relationship exist and
// that its target is tracked, and returns the target.
func (r *resolver) dependencies(t *Table, p relPlan) (*Table, string) {
	noField := func(tbl catalog.QualifiedName, col string) string {
		return inconsistentPrefix + "table " + dquote(tableText(tbl)) + " has no field named " + dquote(col)
	}
	if p.manual {
		for _, m := range p.mapping {
			if t.Info.Column(m.From) == nil {
				return nil, noField(t.Info.Name, m.From)
			}
		}
	}
	target := r.tracked[p.target]
	if target == nil {
		return nil, inconsistentPrefix + "table " + dquote(tableText(p.target)) + " is not tracked"
	}
	if p.manual {
		for _, m := range p.mapping {
			if target.Info.Column(m.To) == nil {
				return nil, noField(p.target, m.To)
			}
		}
	}
	return target, ""
}
