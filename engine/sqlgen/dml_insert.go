package sqlgen

import (
	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/plan"
)

// DMLInsert compiles a data API insert into one statement returning
// {"affected_rows": n[, "returning": […]]}: a multi-row INSERT … VALUES with
// DEFAULT for the cells an object left out.
func DMLInsert(ins *plan.DMLInsert) *Statement {
	g := &gen{}
	return g.dmlMutation(ins.Returning, func() { g.insertSQL(ins) })
}

// insertSQL writes a multi-row INSERT … VALUES, DEFAULT for a nil cell,
// with its ON CONFLICT clause and without RETURNING: the data API and flat
// GraphQL inserts share it.
func (g *gen) insertSQL(ins *plan.DMLInsert) {
	if len(ins.Rows) == 0 {
		g.emptyInsert(ins.Table)
		return
	}
	g.write("INSERT INTO ", Qualified(ins.Table.Name), " (")
	for i, c := range ins.Columns {
		if i > 0 {
			g.write(", ")
		}
		g.write(Ident(c))
	}
	g.write(") VALUES ")
	for i, row := range ins.Rows {
		if i > 0 {
			g.write(", ")
		}
		g.write("(")
		for j, cell := range row {
			if j > 0 {
				g.write(", ")
			}
			if cell == nil {
				g.write("DEFAULT")
			} else {
				g.write(g.value(*cell))
			}
		}
		g.write(")")
	}
	if ins.OnConflict != nil {
		g.dmlConflict(ins.Table, ins.OnConflict)
	}
}

// dmlConflict writes an ON CONFLICT clause.
func (g *gen) dmlConflict(table *catalog.Table, c *plan.DMLConflict) {
	g.write(" ON CONFLICT")
	switch {
	case c.Constraint != "":
		g.write(" ON CONSTRAINT ", Ident(c.Constraint))
	case len(c.Columns) > 0:
		g.write(" (")
		for i, col := range c.Columns {
			if i > 0 {
				g.write(", ")
			}
			g.write(Ident(col))
		}
		g.write(")")
	}
	if len(c.Update) == 0 {
		g.write(" DO NOTHING")
		return
	}
	g.write(" DO UPDATE SET ")
	for i, col := range c.Update {
		if i > 0 {
			g.write(", ")
		}
		g.write(Ident(col), " = EXCLUDED.", Ident(col))
	}
	for _, s := range c.Presets {
		g.write(", ", Ident(s.Column), " = ", g.value(s.Value))
	}
	if c.Where != nil {
		// The existing row goes by the table's name here.
		g.write(" WHERE ")
		g.boolExp(c.Where, Qualified(table.Name))
	}
}

// emptyInsert writes an INSERT that inserts nothing (objects: []): Hasura
// answers it with no rows rather than an error. It names one column a
// client may write, so that the statement is valid whatever the table.
func (g *gen) emptyInsert(t *catalog.Table) {
	column := t.Columns[0].Name
	for _, c := range t.Columns {
		if !c.Generated && c.Identity != 'a' {
			column = c.Name
			break
		}
	}
	g.write("INSERT INTO ", Qualified(t.Name), " (", Ident(column), ") SELECT NULL WHERE false")
}
