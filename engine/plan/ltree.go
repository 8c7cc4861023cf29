package plan

import (
	"strings"

	"github.com/trellis-gql/trellis/engine/gqlerr"
	"github.com/trellis-gql/trellis/engine/schema"
)

// ltreeMessage is Hasura's message for a value that is not a label path.
const ltreeMessage = "Expecting label path: a sequence of zero or more labels separated by dots, for example L1.L2.L3"

// ltreeText checks an ltree value the way Hasura does before it reaches
// Postgres: a string none of whose dot-separated labels is empty (so "",
// "a." and "a..b" are refused); Postgres checks the labels' characters.
func ltreeText(v any, path gqlerr.Path) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", path.Errorf(gqlerr.ParseFailed, ltreeMessage)
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" {
			return "", path.Errorf(gqlerr.ParseFailed, ltreeMessage)
		}
	}
	return s, nil
}

// ltreeQueryOperand reads the operand of _matches (an lquery) or
// _matches_fulltext (an ltxtquery), sent as that type; Postgres parses it.
func ltreeQueryOperand(cmp *Compare, v any, c subject, path gqlerr.Path) error {
	sc, typ := schema.LtreeQuery(cmp.Op, c.typ)
	text, err := scalarText(v, sc, typ, path)
	if err != nil {
		return err
	}
	cmp.Value = Value{Text: text, Type: typ}
	return nil
}
