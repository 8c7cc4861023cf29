package metadataapi

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/trellis-gql/trellis/engine/dataapi"
	"github.com/trellis-gql/trellis/metadata"
)

// data runs a request of the legacy data API (select, insert, update,
// delete, count) in the request's transaction, over the tables tracked at
// this point of the request.
func (a *API) data(ctx context.Context, st *state, req request, path string) (json.RawMessage, error) {
	resp, err := dataapi.RunOn(ctx, st.tx, st.resolved(), req.Type, req.Args)
	return resp, rebase(err, path)
}

// rebase moves an error's path, relative to its own request ("$.args…"),
// under the path of a bulk item ("$.args[2].args…").
func rebase(err error, path string) error {
	var apiErr *metadata.APIError
	if path == "$" || !errors.As(err, &apiErr) || !strings.HasPrefix(apiErr.Path, "$") {
		return err
	}
	moved := *apiErr
	moved.Path = path + apiErr.Path[1:]
	return &moved
}
