package metadata

import (
	"encoding/json"
	"slices"
)

// Operations on the document's top-level sections, which are kept as JSON:
// inherited roles, actions and their permissions, custom types; and
// clear_metadata.

// rawItems splits a JSON array section into its items; nil for nil.
func rawItems(raw json.RawMessage) ([]json.RawMessage, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, Errorf(CodeUnexpected, "$.args", "stored metadata is not a list: %s", err.Error())
	}
	return items, nil
}

// rawSection joins items into a JSON array section; nil when empty.
func rawSection(items []json.RawMessage) (json.RawMessage, error) {
	if len(items) == 0 {
		return nil, nil
	}
	return marshal(items)
}

// inheritedRole is an entry of inherited_roles.
type inheritedRole struct {
	RoleName string   `json:"role_name"`
	RoleSet  []string `json:"role_set"`
}

func opAddInheritedRole(o *opCtx, a *value) (json.RawMessage, error) {
	if err := expectObject(a, "InheritedRole"); err != nil {
		return nil, err
	}
	var r inheritedRole
	var err error
	if r.RoleName, err = reqStr(a, "role_name"); err != nil {
		return nil, err
	}
	sv, err := reqField(a, "role_set")
	if err != nil {
		return nil, err
	}
	if r.RoleSet, err = strList(sv); err != nil {
		return nil, err
	}
	if slices.Contains(r.RoleSet, r.RoleName) {
		return nil, Errorf(CodeInvalidParams, "$.args", "an inherited role name cannot be in the role combination")
	}
	items, err := rawItems(o.md.InheritedRoles)
	if err != nil {
		return nil, err
	}
	raw, err := marshal(r)
	if err != nil {
		return nil, err
	}
	// Like Hasura, a role of the same name is replaced.
	if i := rawKeyed(items, "role_name", r.RoleName); i >= 0 {
		items[i] = raw
	} else {
		items = append(items, raw)
	}
	o.md.InheritedRoles, err = rawSection(items)
	return success(), err
}

func opDropInheritedRole(o *opCtx, a *value) (json.RawMessage, error) {
	if err := expectObject(a, "DropInheritedRole"); err != nil {
		return nil, err
	}
	name, err := reqStr(a, "role_name")
	if err != nil {
		return nil, err
	}
	items, err := rawItems(o.md.InheritedRoles)
	if err != nil {
		return nil, err
	}
	i := rawKeyed(items, "role_name", name)
	if i < 0 {
		return nil, Errorf(CodeNotExists, "$.args", "%s inherited role doesn't exist", dquote(name))
	}
	o.md.InheritedRoles, err = rawSection(append(items[:i], items[i+1:]...))
	return success(), err
}

// rawKeyed returns the index of the item whose string member key is name,
// or -1.
func rawKeyed(items []json.RawMessage, key, name string) int {
	for i, raw := range items {
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			continue
		}
		var s string
		if json.Unmarshal(m[key], &s) == nil && s == name {
			return i
		}
	}
	return -1
}

// action is an entry of actions.
type action struct {
	Name        string             `json:"name"`
	Definition  json.RawMessage    `json:"definition"`
	Comment     *string            `json:"comment,omitempty"`
	Permissions []actionPermission `json:"permissions,omitempty"`
}

type actionPermission struct {
	Role    string  `json:"role"`
	Comment *string `json:"comment,omitempty"`
}

// actions reads the actions section.
func (o *opCtx) actions() ([]action, error) {
	items, err := rawItems(o.md.Actions)
	if err != nil {
		return nil, err
	}
	out := make([]action, len(items))
	for i, raw := range items {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			return nil, Errorf(CodeUnexpected, "$.args", "stored action: %s", err.Error())
		}
	}
	return out, nil
}

// setActions writes the actions section.
func (o *opCtx) setActions(list []action) error {
	if len(list) == 0 {
		o.md.Actions = nil
		return nil
	}
	raw, err := marshal(list)
	o.md.Actions = raw
	return err
}

// findAction returns the index of action name, or -1.
func findAction(list []action, name string) int {
	return slices.IndexFunc(list, func(a action) bool { return a.Name == name })
}

func noAction(name string) error {
	return Errorf(CodeNotExists, "$.args", "action with name %s does not exist", dquote(name))
}

// parseAction reads {name, definition, comment}.
func parseAction(a *value, what string) (action, error) {
	var act action
	if err := expectObject(a, what); err != nil {
		return act, err
	}
	var err error
	if act.Name, err = reqStr(a, "name"); err != nil {
		return act, err
	}
	dv, err := reqField(a, "definition")
	if err != nil {
		return act, err
	}
	if err := expectObject(dv, "ActionDefinition"); err != nil {
		return act, err
	}
	act.Definition = dv.json()
	act.Comment, err = optStr(a, "comment")
	return act, err
}

func opCreateAction(o *opCtx, a *value) (json.RawMessage, error) {
	act, err := parseAction(a, "CreateAction")
	if err != nil {
		return nil, err
	}
	list, err := o.actions()
	if err != nil {
		return nil, err
	}
	if findAction(list, act.Name) >= 0 {
		return nil, Errorf(CodeAlreadyExists, "$.args", "action with name %s already exists", dquote(act.Name))
	}
	return success(), o.setActions(append(list, act))
}

func opUpdateAction(o *opCtx, a *value) (json.RawMessage, error) {
	act, err := parseAction(a, "UpdateAction")
	if err != nil {
		return nil, err
	}
	list, err := o.actions()
	if err != nil {
		return nil, err
	}
	i := findAction(list, act.Name)
	if i < 0 {
		return nil, noAction(act.Name)
	}
	list[i].Definition, list[i].Comment = act.Definition, act.Comment
	return success(), o.setActions(list)
}

func opDropAction(o *opCtx, a *value) (json.RawMessage, error) {
	if err := expectObject(a, "DropAction"); err != nil {
		return nil, err
	}
	name, err := reqStr(a, "name")
	if err != nil {
		return nil, err
	}
	list, err := o.actions()
	if err != nil {
		return nil, err
	}
	i := findAction(list, name)
	if i < 0 {
		return nil, noAction(name)
	}
	return success(), o.setActions(append(list[:i], list[i+1:]...))
}

// actionPermArgs reads {action, role} and finds the action.
func (o *opCtx) actionPermArgs(a *value, what string) ([]action, int, string, error) {
	if err := expectObject(a, what); err != nil {
		return nil, -1, "", err
	}
	name, err := reqStr(a, "action")
	if err != nil {
		return nil, -1, "", err
	}
	role, err := reqStr(a, "role")
	if err != nil {
		return nil, -1, "", err
	}
	list, err := o.actions()
	if err != nil {
		return nil, -1, "", err
	}
	i := findAction(list, name)
	if i < 0 {
		return nil, -1, "", noAction(name)
	}
	return list, i, role, nil
}

func opCreateActionPermission(o *opCtx, a *value) (json.RawMessage, error) {
	list, i, role, err := o.actionPermArgs(a, "CreateActionPermission")
	if err != nil {
		return nil, err
	}
	comment, err := optStr(a, "comment")
	if err != nil {
		return nil, err
	}
	act := &list[i]
	if slices.ContainsFunc(act.Permissions, func(p actionPermission) bool { return p.Role == role }) {
		return nil, Errorf(CodeAlreadyExists, "$.args", "permission for role %s is already defined on %s", dquote(role), dquote(act.Name))
	}
	// Hasura puts the new permission first.
	act.Permissions = append([]actionPermission{{Role: role, Comment: comment}}, act.Permissions...)
	return success(), o.setActions(list)
}

func opDropActionPermission(o *opCtx, a *value) (json.RawMessage, error) {
	list, i, role, err := o.actionPermArgs(a, "DropActionPermission")
	if err != nil {
		return nil, err
	}
	act := &list[i]
	j := slices.IndexFunc(act.Permissions, func(p actionPermission) bool { return p.Role == role })
	if j < 0 {
		return nil, Errorf(CodeNotExists, "$.args", "permission for role: %s is not defined on %s", dquote(role), dquote(act.Name))
	}
	act.Permissions = slices.Delete(act.Permissions, j, j+1)
	return success(), o.setActions(list)
}

// customTypes is the custom_types section, in Hasura's order.
type customTypes struct {
	InputObjects json.RawMessage `json:"input_objects,omitempty"`
	Objects      json.RawMessage `json:"objects,omitempty"`
	Scalars      json.RawMessage `json:"scalars,omitempty"`
	Enums        json.RawMessage `json:"enums,omitempty"`
}

// opSetCustomTypes replaces the custom types; empty kinds are left out.
func opSetCustomTypes(o *opCtx, a *value) (json.RawMessage, error) {
	if err := expectObject(a, "CustomTypes"); err != nil {
		return nil, err
	}
	var ct customTypes
	for _, k := range []struct {
		key string
		dst *json.RawMessage
	}{{"input_objects", &ct.InputObjects}, {"objects", &ct.Objects}, {"scalars", &ct.Scalars}, {"enums", &ct.Enums}} {
		v := a.get(k.key)
		if v == nil {
			continue
		}
		if v.kind != kindList {
			return nil, parseFailed(v, "parsing [] failed, expected Array, but encountered %s", aesonKind(v.kind))
		}
		if len(v.list) > 0 {
			*k.dst = v.json()
		}
	}
	o.md.CustomTypes = nil
	if ct.InputObjects != nil || ct.Objects != nil || ct.Scalars != nil || ct.Enums != nil {
		raw, err := marshal(ct)
		if err != nil {
			return nil, err
		}
		o.md.CustomTypes = raw
	}
	return success(), nil
}

// opClearMetadata empties the document as Hasura does: only the source
// "default" is kept, with its kind and configuration and nothing else.
func opClearMetadata(o *opCtx, _ *value) (json.RawMessage, error) {
	out := &Metadata{Version: MetadataVersion}
	if s := o.md.source(DefaultSource); s != nil {
		out.Sources = []Source{{Name: s.Name, Kind: s.Kind, Configuration: s.Configuration, Tables: []TableEntry{}}}
	}
	o.md = out
	return success(), nil
}
