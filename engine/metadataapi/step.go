package metadataapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/trellis-gql/trellis/engine/gqlerr"
	"net/http"
	"strconv"

	"github.com/trellis-gql/trellis/engine/catalog"
	"github.com/trellis-gql/trellis/engine/dataapi"
	"github.com/trellis-gql/trellis/metadata"
)

var success = json.RawMessage(`{"message":"success"}`)

// step runs one request (a bulk runs its items) on st.
func (a *API) step(ctx context.Context, ep Endpoint, st *state, req request, path string) (json.RawMessage, error) {
	switch req.Type {
	case "bulk":
		return a.bulk(ctx, ep, st, req, path, false)
	case "bulk_atomic":
		return a.bulkAtomic(ctx, ep, st, req, path)
	case "bulk_keep_going":
		return a.bulk(ctx, ep, st, req, path, true)
	case "run_sql":
		if ep == MetadataV1 {
			break
		}
		return a.runSQL(ctx, st, req.Args, path+".args")
	case "export_metadata":
		if ep == MetadataV1 && string(req.Version) == "2" {
			return json.Marshal(struct {
				ResourceVersion int64           `json:"resource_version"`
				Metadata        json.RawMessage `json:"metadata"`
			}{st.version, metadata.ExportJSON(st.md)})
		}
		return metadata.ExportJSON(st.md), nil
	case "replace_metadata":
		if ep == QueryV2 {
			break
		}
		md, allow, err := metadata.ParseReplaceMetadata(req.Args)
		if err != nil {
			return nil, err
		}
		st.md, st.mdChanged, st.allowInconsistent, st.replaced = md, true, allow, true
		if err := st.withEnumRows(ctx); err != nil {
			return nil, err
		}
		// Hasura tells the two forms apart by the "metadata" member, not
		// by "version": the first answers success, the second
		// {"is_consistent","inconsistent_objects"} (an inconsistent
		// document without allow_inconsistent_metadata fails in run).
		if !replaceV2(req.Args) {
			return success, nil
		}
		return consistency(st.resolved(), false)
	case "reload_metadata":
		cat, err := catalog.Load(ctx, st.tx)
		if err != nil {
			return nil, err
		}
		st.cat, st.reloaded, st.catFresh = cat, true, true
		if err := st.withEnumRows(ctx); err != nil {
			return nil, err
		}
		return consistency(st.resolved(), true)
	case "get_inconsistent_metadata":
		return consistency(st.resolved(), false)
	case "drop_inconsistent_metadata":
		st.md, st.mdChanged = metadata.DropInconsistent(st.md, st.resolved().Inconsistencies), true
		return success, nil
	case "get_catalog_state":
		return catalogState(ctx, st)
	case "set_catalog_state":
		var args struct {
			Type  string          `json:"type"`
			State json.RawMessage `json:"state"`
		}
		if err := json.Unmarshal(req.Args, &args); err != nil {
			return nil, metadata.Errorf(metadata.CodeParseFailed, path+".args", "%v", err)
		}
		if err := metadata.SetCatalogState(ctx, st.tx, args.Type, args.State); err != nil {
			return nil, rebase(err, path)
		}
		return success, nil
	}
	if dataapi.Handles(req.Type) && ep != MetadataV1 {
		return a.data(ctx, st, req, path)
	}
	if metadata.Handles(req.Type) && ep != QueryV2 {
		md, model, resp, err := st.applyOp(ctx, req.Type, req.Args)
		if err != nil && !st.catFresh {
			// The database may have changed outside the API (a table created
			// with psql): look again before refusing.
			cat, lerr := catalog.Load(ctx, st.tx)
			if lerr != nil {
				return nil, lerr
			}
			st.cat, st.catFresh, st.dbChanged = cat, true, true
			if lerr := st.withEnumRows(ctx); lerr != nil {
				return nil, lerr
			}
			md, model, resp, err = st.applyOp(ctx, req.Type, req.Args)
		}
		if err != nil {
			return nil, rebase(err, path)
		}
		st.md, st.mdChanged = md, true
		if model != nil {
			st.model, st.modelFor = model, md
		}
		return resp, nil
	}
	return nil, metadata.Errorf(metadata.CodeParseFailed, path+".type", "unknown request type: %q", req.Type)
}

// catalogState answers get_catalog_state: {"id","cli_state","console_state"}.
func catalogState(ctx context.Context, st *state) (json.RawMessage, error) {
	cs, err := metadata.LoadCatalogState(ctx, st.tx)
	if err != nil {
		return nil, err
	}
	// Not json.Marshal: it would escape <, > and & in the states.
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(cs); err != nil {
		return nil, fmt.Errorf("encoding the catalog state: %w", err)
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}

// replaceV2 reports whether replace_metadata's args are the second form,
// {"allow_inconsistent_metadata", "metadata"}.
func replaceV2(args json.RawMessage) bool {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(args, &members); err != nil {
		return false // ParseReplaceMetadata accepted args: an object
	}
	_, ok := members["metadata"]
	return ok
}

// consistency answers reload_metadata, get_inconsistent_metadata and
// replace_metadata's second form.
func consistency(m *metadata.Model, withMessage bool) (json.RawMessage, error) {
	out := map[string]any{"is_consistent": len(m.Inconsistencies) == 0}
	if withMessage {
		out["message"] = "success"
	}
	if len(m.Inconsistencies) > 0 || !withMessage {
		incs := m.Inconsistencies
		if incs == nil {
			incs = []metadata.Inconsistency{}
		}
		out["inconsistent_objects"] = incs
	}
	return json.Marshal(out)
}

// bulk runs the items of a bulk request in order, in the request's
// transaction. keepGoing runs each item in a savepoint and answers a failed
// item with its error in place of a result, instead of failing the whole.
func (a *API) bulk(ctx context.Context, ep Endpoint, st *state, req request, path string, keepGoing bool) (json.RawMessage, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(req.Args, &items); err != nil {
		return nil, metadata.Errorf(metadata.CodeParseFailed, path+".args", "parsing [Value] failed, expected Array, but encountered %s", gqlerr.JSONKind(req.Args))
	}
	results := make([]json.RawMessage, 0, len(items))
	for i, raw := range items {
		itemPath := path + ".args[" + strconv.Itoa(i) + "]"
		item, err := decodeRequest(raw)
		if err != nil {
			return nil, err
		}
		if !keepGoing {
			resp, err := a.step(ctx, ep, st, item, itemPath)
			if err != nil {
				return nil, err
			}
			results = append(results, resp)
			continue
		}
		resp, err := a.savepointStep(ctx, ep, st, item, itemPath)
		if err != nil {
			// Hasura reports a failed item at the request's args.
			var apiErr *metadata.APIError
			if errors.As(err, &apiErr) {
				moved := *apiErr
				moved.Path = path + ".args"
				err = &moved
			}
			_, body := errorResponse(err, a.log)
			resp = body
		}
		results = append(results, resp)
	}
	return json.Marshal(results)
}

// savepointStep runs one step so that its failure undoes only itself.
func (a *API) savepointStep(ctx context.Context, ep Endpoint, st *state, item request, path string) (json.RawMessage, error) {
	saved := *st
	sp, err := st.tx.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("savepoint: %w", err)
	}
	inner := *st
	inner.tx = sp
	resp, err := a.step(ctx, ep, &inner, item, path)
	if err != nil {
		if rbErr := sp.Rollback(ctx); rbErr != nil {
			return nil, rbErr
		}
		*st = saved
		return nil, err
	}
	if err := sp.Commit(ctx); err != nil {
		return nil, err
	}
	inner.tx = saved.tx
	*st = inner
	return resp, nil
}

// bulkAtomic runs metadata operations all or none, as Hasura's
// bulk_atomic: it answers one success, reports a failing item at the
// request's args, and takes only operations on the metadata document.
func (a *API) bulkAtomic(ctx context.Context, ep Endpoint, st *state, req request, path string) (json.RawMessage, error) {
	var items []request
	if err := json.Unmarshal(req.Args, &items); err != nil {
		return nil, metadata.Errorf(metadata.CodeParseFailed, path+".args", "parsing [Value] failed, expected Array, but encountered %s", gqlerr.JSONKind(req.Args))
	}
	for _, item := range items {
		if !bulkAtomicTypes[item.Type] {
			return nil, &metadata.APIError{Status: http.StatusInternalServerError, Code: metadata.CodeUnexpected, Path: path + ".args", Message: "Bulk atomic does not support this command"}
		}
	}
	if _, err := a.bulk(ctx, ep, st, req, path, false); err != nil {
		var apiErr *metadata.APIError
		if errors.As(err, &apiErr) {
			moved := *apiErr
			moved.Path = path + ".args"
			return nil, &moved
		}
		return nil, err
	}
	return success, nil
}

// bulkAtomicTypes are the operations Hasura's bulk_atomic accepts (of
// those Trellis has): relationships.
var bulkAtomicTypes = map[string]bool{
	"pg_create_object_relationship": true,
	"pg_create_array_relationship":  true,
	"pg_drop_relationship":          true,
	"pg_rename_relationship":        true,
	"pg_set_relationship_comment":   true,
}
