package main

import (
	"io"
	"text/tabwriter"
)

// newTable is a writer of aligned columns, cells separated by tabs.
func newTable(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0) }
