package jwt

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

func TestClaimsDecoding(t *testing.T) {
	cases := []struct {
		doc   string
		ok    bool
		check func(c claims) bool
	}{
		{`{"iss":"authd","aud":"a","sub":"u","role":"user","sid":"s","iat":1,"exp":2,"jti":"j"}`, true,
			func(c claims) bool { return c.Subject == "u" && c.ExpiresAt.Unix() == 2 && c.Extra == nil }},
		{` { "sub" : "u" , "exp" : 1790000000 , "nbf" : -5 } `, true, func(c claims) bool { return c.NotBefore.set }},
		{`{"aud":["a","b"]}`, true, func(c claims) bool { return reflect.DeepEqual([]string(c.Audience), []string{"a", "b"}) }},
		{`{"sub":"u","tenant":"acme","n":1,"o":{"a":[true]}}`, true, func(c claims) bool {
			return reflect.DeepEqual(c.Extra, map[string]any{"tenant": "acme", "n": 1.0, "o": map[string]any{"a": []any{true}}})
		}},
		{`{"exp":1.5}`, true, func(c claims) bool { return c.ExpiresAt.set }},
		{`{"sub":"u","amr":["pwd","otp","mfa"]}`, true, func(c claims) bool { return len(c.AMR) == 3 && c.AMR[2] == "mfa" }},
		{`{"amr":[]}`, true, func(c claims) bool { return len(c.AMR) == 0 && c.Extra == nil }},
		{`{"amr":"pwd"}`, false, nil},
		{`{"amr":[1]}`, false, nil},
		{`{"amr":["pwd",]}`, false, nil},
		{`{"AMR":["mfa"]}`, false, nil},
		{`{"exp":"1"}`, false, nil},
		{`{"exp":null}`, false, nil},
		{`{"iat":true}`, false, nil},
		{`{"sub":1}`, false, nil},
		{`{"SUB":"upper"}`, false, nil},
		{`{"sub":"u","Role":"admin"}`, false, nil},
		{`{"sub":"u","ſub":"kelvin"}`, false, nil},
		{`{"sub":"u",}`, false, nil},
		{`{"sub":"u"} x`, false, nil},
		{`[]`, false, nil},
		{``, false, nil},
	}
	for _, tc := range cases {
		var c claims
		err := c.UnmarshalJSON([]byte(tc.doc))
		if (err == nil) != tc.ok {
			t.Errorf("%s: err %v, want ok=%v", tc.doc, err, tc.ok)
			continue
		}
		if err == nil && !tc.check(c) {
			t.Errorf("%s: decoded %+v", tc.doc, c)
		}
	}
}

func TestClaimsEncoding(t *testing.T) {
	c := claims{Issuer: "authd", Audience: audience{"</script>"}, Subject: "a\"b\\c\n\x01é\xff", Role: "user",
		SessionID: "s", ID: "j", IssuedAt: dateOf(time.Unix(1, 0)), ExpiresAt: dateOf(time.Unix(2, 0)),
		Extra: map[string]any{"tenant": "acme"}}
	b, err := c.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if m["sub"] != "a\"b\\c\n\x01é\uFFFD" || m["aud"] != "</script>" || m["exp"] != 2.0 || m["tenant"] != "acme" ||
		len(m) != 9 {
		t.Fatalf("%s -> %v", b, m)
	}
	var back claims
	if err := back.UnmarshalJSON(b); err != nil || back.Extra["tenant"] != "acme" || back.Subject != c.Subject[:len(c.Subject)-1]+"\uFFFD" {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
}

func TestClaimsRefuseRegisteredExtra(t *testing.T) {
	for _, name := range []string{"sub", "Role", "amr", "typ", ""} {
		c := claims{Subject: "u", Extra: map[string]any{name: "x"}}
		_, err := c.MarshalJSON()
		var reserved *domain.ReservedClaimError
		if !errors.As(err, &reserved) || reserved.Name != name {
			t.Errorf("extra %q: err %v, want a ReservedClaimError naming it", name, err)
		}
	}
	c := claims{Subject: "u", Extra: map[string]any{"f": func() {}}}
	if _, err := c.MarshalJSON(); err == nil {
		t.Error("an extra claim that does not encode was accepted")
	}
}
