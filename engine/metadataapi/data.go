package metadataapi

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"strings"

	"github.com/trellis-gql/trellis/engine/auth"
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

// roleData runs a data request of a role other than the admin, with its
// permissions, over the engine's current snapshot; it reads nothing of
// the stored metadata and takes no lock.
func (a *API) roleData(ctx context.Context, req request, sess auth.Session) (json.RawMessage, error) {
	snap := a.engine.Snapshot()
	acc := dataapi.Access{Role: snap.Permissions.Role(sess.Role), Session: sessionJSON(sess), Vars: sess.Vars}
	return dataapi.RunAs(ctx, a.db.Pool, snap.Model, acc, req.Type, req.Args)
}

// sessionJSON is the JSON object of a session's variables, with
// x-hasura-role, as the permission filters read it.
func sessionJSON(sess auth.Session) string {
	all := make(map[string]string, len(sess.Vars)+1)
	maps.Copy(all, sess.Vars)
	all["x-hasura-role"] = sess.Role
	b, err := json.Marshal(all) // encoding/json sorts map keys
	if err != nil {
		return "{}" // unreachable: a map of strings always encodes
	}
	return string(b)
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
