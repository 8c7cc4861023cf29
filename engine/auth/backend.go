package auth

import (
	"net/http"
	"strings"

	"github.com/trellis-gql/trellis/engine/gqlerr"
)

// useBackendOnlyVar asks for the backend scenario: the role's backend_only
// permissions apply. Hasura reads it only from a trusted request (the
// admin secret was sent, or none is configured); from any other it is an
// ordinary session variable.
const useBackendOnlyVar = "x-hasura-use-backend-only-permissions"

// Hasura's spellings of a boolean header value, compared case-insensitively.
var (
	trueWords  = []string{"true", "t", "yes", "y"}
	falseWords = []string{"false", "f", "no", "n"}
)

// trusted completes the session of a trusted request: BackendOnly from
// x-hasura-use-backend-only-permissions, whose value must be a boolean.
func trusted(s Session) (Session, error) {
	v, ok := s.Vars[useBackendOnlyVar]
	if !ok {
		return s, nil
	}
	word := strings.ToLower(v)
	for _, t := range trueWords {
		if word == t {
			s.BackendOnly = true
			return s, nil
		}
	}
	for _, f := range falseWords {
		if word == f {
			return s, nil
		}
	}
	return Session{}, newError(http.StatusBadRequest, gqlerr.BadRequest,
		useBackendOnlyVar+": Not a valid boolean text. True values are [\"true\",\"t\",\"yes\",\"y\"] and False values are [\"false\",\"f\",\"no\",\"n\"]. All values are case insensitive")
}
