package plan

import (
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
	"github.com/trellis-gql/trellis/permissions"
)

// The role's insert and update permissions, folded into mutations as
// Hasura does (Hasura.GraphQL.Schema.Mutation, Translate/Insert.hs):
//
//   - presets ("set") are written whatever the client sends: the schema
//     leaves their columns out of the inputs, and the planner adds them to
//     every inserted row (nested ones too) and every update;
//   - the insert check must hold for every inserted row, the update check
//     for every updated row; sqlgen evaluates them on the written rows in
//     the statement that writes them, and engine/exec rolls the whole
//     mutation back when one fails;
//   - an upsert (on_conflict with update_columns) is an update of the
//     conflicting row: the update filter limits which rows it may touch,
//     the update presets are set, and the update check, when the role has
//     one, replaces the insert check for the rows it updated.
//
// Session variables in presets and checks stay references (Value.Session),
// so that a missing one fails the request before it runs and no value is
// ever spliced into SQL.

// presetCells are the cells of a permission's presets.
func (p *planner) presetCells(set []permissions.Preset) []InsertCell {
	cells := make([]InsertCell, 0, len(set))
	for _, s := range set {
		cells = append(cells, InsertCell{Column: s.Column.Name, Value: p.operand(s.Value, p.schema.Catalog.Type(s.Column.TypeOID), false)})
	}
	return cells
}

// presetSets are the SET items of a permission's presets.
func (p *planner) presetSets(set []permissions.Preset) []DMLSetItem {
	items := make([]DMLSetItem, 0, len(set))
	for _, c := range p.presetCells(set) {
		items = append(items, DMLSetItem{Column: c.Column, Op: DMLSet, Value: c.Value})
	}
	return items
}

// insertPermission adds the role's insert presets to every row of an
// insert into t and sets its check.
func (p *planner) insertPermission(ins *Insert, t *schema.Table) {
	perm := t.Perm.Insert
	ins.Check = p.permission(perm.Check)
	if len(perm.Set) == 0 {
		return
	}
	for i := range ins.Rows {
		ins.Rows[i].Cells = append(ins.Rows[i].Cells, p.presetCells(perm.Set)...)
	}
}

// updatePermission folds the role's update permission into an update of
// t: its filter narrows the rows, its presets are set, its check must
// hold afterwards.
func (p *planner) updatePermission(u *DMLUpdate, t *schema.Table) {
	perm := t.Perm.Update
	u.Where = conjoin(p.permission(perm.Filter), u.Where)
	u.Set = append(u.Set, p.presetSets(perm.Set)...)
	u.Check = p.permission(perm.Check)
}

// upsertPermission folds the role's update permission into an insert's
// ON CONFLICT DO UPDATE. DO NOTHING updates nothing and takes none of it.
func (p *planner) upsertPermission(ins *Insert, t *schema.Table) {
	c := ins.OnConflict
	perm := t.Perm.Update
	if c == nil || len(c.Update) == 0 || perm == nil {
		return
	}
	c.Where = conjoin(p.permission(perm.Filter), c.Where)
	c.Presets = p.presetSets(perm.Set)
	ins.UpdateCheck = p.permission(perm.Check)
}

// placeholderColumn is the only value of <t>_update_column when the role
// may update no column of t; Hasura refuses it as a column.
const placeholderColumn = "_PLACEHOLDER"

// placeholderError is Hasura's answer to update_columns: [_PLACEHOLDER],
// reported at the on_conflict argument.
func placeholderError(t *schema.Table, v any, at gqlerr.Path) error {
	if len(t.Mutable.Updatable) > 0 {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	for _, item := range list {
		if name, isEnum := enumText(item); isEnum && name == placeholderColumn {
			return at.Errorf(gqlerr.ValidationFailed, "erroneous column name")
		}
	}
	return nil
}
