package apiclient

import (
	"context"
	"encoding/json"
	"fmt"
)

// Inconsistency is one object of get_inconsistent_metadata, kept as the
// server wrote it, with the fields the CLI prints decoded.
type Inconsistency struct {
	Type   string          `json:"type"`
	Name   string          `json:"name"`
	Reason string          `json:"reason"`
	Raw    json.RawMessage `json:"-"`
}

// UnmarshalJSON keeps the whole object next to the decoded fields.
func (i *Inconsistency) UnmarshalJSON(data []byte) error {
	type plain Inconsistency
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*i = Inconsistency(p)
	i.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// MarshalJSON writes the object as the server wrote it.
func (i Inconsistency) MarshalJSON() ([]byte, error) {
	if len(i.Raw) > 0 {
		return i.Raw, nil
	}
	type plain Inconsistency
	return json.Marshal(plain(i))
}

// Consistency is the answer of replace_metadata (version 2),
// reload_metadata and get_inconsistent_metadata.
type Consistency struct {
	IsConsistent        bool            `json:"is_consistent"`
	InconsistentObjects []Inconsistency `json:"inconsistent_objects"`
}

// ExportMetadata returns the server's metadata document and its
// resource_version (export_metadata, version 2).
func (c *Client) ExportMetadata(ctx context.Context) (json.RawMessage, int64, error) {
	body, err := c.Metadata(ctx, Op{Type: "export_metadata", Version: 2, Args: struct{}{}})
	if err != nil {
		return nil, 0, err
	}
	var out struct {
		ResourceVersion int64           `json:"resource_version"`
		Metadata        json.RawMessage `json:"metadata"`
	}
	if err := json.Unmarshal(body, &out); err != nil || len(out.Metadata) == 0 {
		// A server that ignores the version answers the document itself.
		return body, 0, nil
	}
	return out.Metadata, out.ResourceVersion, nil
}

// ReplaceMetadata replaces the server's metadata with doc. Unless
// allowInconsistent, a document that would be inconsistent is refused (an
// *Error whose Internal lists the objects) and nothing changes.
func (c *Client) ReplaceMetadata(ctx context.Context, doc json.RawMessage, allowInconsistent bool) (Consistency, error) {
	args := map[string]any{"allow_inconsistent_metadata": allowInconsistent, "metadata": doc}
	body, err := c.Metadata(ctx, Op{Type: "replace_metadata", Version: 2, Args: args})
	if err != nil {
		return Consistency{}, err
	}
	return decodeConsistency(body)
}

// ReloadMetadata rereads the database's schema and the metadata.
func (c *Client) ReloadMetadata(ctx context.Context) (Consistency, error) {
	body, err := c.Metadata(ctx, Op{Type: "reload_metadata", Args: map[string]any{"reload_remote_schemas": true, "reload_sources": true}})
	if err != nil {
		return Consistency{}, err
	}
	return decodeConsistency(body)
}

// InconsistentMetadata lists the metadata objects that do not match the
// database.
func (c *Client) InconsistentMetadata(ctx context.Context) (Consistency, error) {
	body, err := c.Metadata(ctx, Op{Type: "get_inconsistent_metadata", Args: struct{}{}})
	if err != nil {
		return Consistency{}, err
	}
	return decodeConsistency(body)
}

// DropInconsistentMetadata removes the inconsistent objects.
func (c *Client) DropInconsistentMetadata(ctx context.Context) error {
	_, err := c.Metadata(ctx, Op{Type: "drop_inconsistent_metadata", Args: struct{}{}})
	return err
}

// ClearMetadata resets the metadata to an empty document.
func (c *Client) ClearMetadata(ctx context.Context) error {
	_, err := c.Metadata(ctx, Op{Type: "clear_metadata", Args: struct{}{}})
	return err
}

func decodeConsistency(body []byte) (Consistency, error) {
	// An answer without is_consistent ({"message":"success"}, the first
	// form of replace_metadata) means consistent.
	out := Consistency{IsConsistent: true}
	if err := json.Unmarshal(body, &out); err != nil {
		return Consistency{}, fmt.Errorf("decoding the server's answer: %w", err)
	}
	return out, nil
}
