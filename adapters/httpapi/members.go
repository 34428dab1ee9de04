package httpapi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// encoding/json matches member names to fields case-insensitively and lets
// a repeated member overwrite the first. Both hide input from whoever reads
// the body differently (a proxy, a WAF, a log): {"email":"a","EMAIL":"b"}
// must not register b. checkMembers refuses both before decoding.

// checkMembers refuses a top-level member not in names (exact spelling) and
// a member that appears twice. Nested values are skipped whole; malformed
// JSON is left for the decoder to refuse.
func checkMembers(body []byte, names map[string]bool) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return errNotJSONObject
	}
	seen := make(map[string]bool, len(names))
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return errNotJSONObject
		}
		name, _ := tok.(string)
		if !names[name] || seen[name] {
			return errNotJSONObject
		}
		seen[name] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return errNotJSONObject
		}
	}
	return nil
}

var memberCache sync.Map // reflect.Type -> map[string]bool

// memberNames returns the JSON names of dst's struct fields (dst is a
// pointer to a request DTO); a "-" tag or an unexported field has none.
func memberNames(dst any) map[string]bool {
	t := reflect.TypeOf(dst)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v, ok := memberCache.Load(t); ok {
		return v.(map[string]bool)
	}
	names := map[string]bool{}
	if t.Kind() == reflect.Struct {
		for f := range t.Fields() {
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case !f.IsExported() || tag == "-":
			case tag != "":
				names[tag] = true
			default:
				names[f.Name] = true
			}
		}
	}
	memberCache.Store(t, names)
	return names
}
