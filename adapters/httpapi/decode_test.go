package httpapi

import (
	"strings"
	"testing"
)

func TestUnmarshalStrict(t *testing.T) {
	cases := map[string]bool{ // body -> accepted
		`{"email":"a@b.c","password":"p"}`:       true,
		" \n{}\n ":                               true,
		`{"email":null}`:                         true,
		`{"EMAIL":"a"}`:                          false, // case-insensitive match of encoding/json
		`{"Email":"a"}`:                          false,
		`{"email":"a","email":"b"}`:              false, // duplicate: last would win
		`{"email":"a","role":"admin"}`:           false,
		`{"email":"a"}{"email":"b"}`:             false,
		`{"email":"a"} []`:                       false,
		`{"email":["a"]}`:                        false,
		`{"email":{"$ne":""}}`:                   false,
		`{"email":1e999}`:                        false,
		`{"email":"a",}`:                         false,
		`{"email":'a'}`:                          false,
		`[{"email":"a"}]`:                        false,
		`"{}"`:                                   false,
		``:                                       false,
		"{\"email\":\"\xc3\x28\"}":               false,
		"\xef\xbb\xbf{}":                         false, // BOM
		`{"email":"a"` + strings.Repeat(" ", 10): false,
	}
	for body, want := range cases {
		var dst credentialsRequest
		err := unmarshalStrict([]byte(body), &dst)
		if (err == nil) != want {
			t.Errorf("unmarshalStrict(%q) = %v, want accepted %v", body, err, want)
		}
	}
}

func TestIsJSON(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/json": true, "application/json; charset=utf-8": true, "Application/JSON; charset=UTF-8": true,
		"application/json;charset=Utf-8": true, "application/json; charset=latin1": false, "text/plain": false,
		"application/x-www-form-urlencoded": false, "multipart/form-data; boundary=x": false, "": false,
		"application/jsonx": false, "application/json, text/plain": false, "application/problem+json": false,
	} {
		if got := isJSON(ct); got != want {
			t.Errorf("isJSON(%q) = %v, want %v", ct, got, want)
		}
	}
}
