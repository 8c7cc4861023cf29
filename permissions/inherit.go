package permissions

import "encoding/json"

// inherit adds the inherited roles (filled in later).
func (s *Set) inherit(raw json.RawMessage) {}
