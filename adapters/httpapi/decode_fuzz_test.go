package httpapi

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzUnmarshalStrict: the request decoder never panics, refuses only with
// INVALID_JSON, and what it accepts is one valid JSON object whose members
// are the DTO's names spelled exactly, decoding to what plain
// encoding/json would decode.
func FuzzUnmarshalStrict(f *testing.F) {
	for _, s := range []string{
		`{"email":"a@b.c","password":"p","transport":"body"}`, `{}`, ` {"email":"x"} `, `{"email":"a"}{}`,
		`{"EMAIL":"a"}`, `{"email":"a","email":"b"}`, `{"email":1}`, `{"role":"admin"}`, `[]`, `null`,
		`{"email":"\u0000"}`, "{\"email\":\"\xff\"}", `{"email":{"$gt":""}}`, `{"email":"a",}`, "\ufeff{}",
		`{"password":"` + string(make([]byte, 100)) + `"}`, `{"email":"a"} x`, `{"email":"a"}` + "\n",
	} {
		f.Add([]byte(s))
	}
	names := memberNames(&credentialsRequest{})
	f.Fuzz(func(t *testing.T, body []byte) {
		var got credentialsRequest
		err := unmarshalStrict(body, &got)
		if err != nil {
			var api *apiError
			if !errors.As(err, &api) || api.code != "INVALID_JSON" {
				t.Fatalf("unmarshalStrict(%q) = %v, want INVALID_JSON", body, err)
			}
			return
		}
		var members map[string]json.RawMessage
		if !json.Valid(body) || json.Unmarshal(body, &members) != nil {
			t.Fatalf("accepted %q, which is not one JSON object", body)
		}
		for name := range members {
			if !names[name] {
				t.Fatalf("accepted %q with member %q", body, name)
			}
		}
		var plain credentialsRequest
		if err := json.Unmarshal(body, &plain); err != nil || plain != got {
			t.Fatalf("accepted %q as %+v; encoding/json says %+v, %v", body, got, plain, err)
		}
	})
}
