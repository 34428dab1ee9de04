package jwt

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// slowDecode is the encoding/json path alone, the reference for decodeFast.
func slowDecode(data []byte) (claims, error) {
	var w wireClaims
	err := json.Unmarshal(data, &w)
	c := claims{iss: w.Iss, sub: w.Sub, role: w.Role, sid: w.Sid, jti: w.Jti, aud: w.Aud, amr: w.Amr}
	c.iat, c.hasIat = deref(w.Iat)
	c.exp, c.hasExp = deref(w.Exp)
	c.nbf, c.hasNbf = deref(w.Nbf)
	return c, err
}

func TestUnmarshalMatchesEncodingJSON(t *testing.T) {
	docs := []string{
		`{"iss":"authd","aud":"a","sub":"u","role":"user","sid":"s","iat":1,"exp":2,"jti":"j"}`,
		` { "sub" : "u" , "exp" : 1790000000 , "nbf" : -5 } `,
		`{}`,
		`{"sub":"u","sub":"v"}`,
		`{"sub":"caf\u00e9"}`,
		`{"sub":"café"}`,
		`{"SUB":"upper"}`,
		`{"aud":["a","b"]}`,
		`{"sub":"u","amr":["pwd","otp","mfa"]}`,
		`{"amr":[]}`,
		`{"amr":[ "pwd" , "mfa" ]}`,
		`{"amr":["a","b","c","d","e"]}`,
		`{"amr":["pwd"],"amr":["otp"]}`,
		`{"amr":null}`,
		`{"amr":"pwd"}`,
		`{"amr":["pwd",]}`,
		`{"amr":["pwd" "otp"]}`,
		`{"amr":[1]}`,
		`{"amr":["caf\u00e9"]}`,
		`{"exp":1.5}`,
		`{"exp":1e9}`,
		`{"exp":0123}`,
		`{"exp":12345678901234567}`,
		`{"exp":"1"}`,
		`{"sub":1}`,
		`{"sub":null}`,
		`{"sub":"u",}`,
		`{"sub":"u"} x`,
		`{"extra":{"a":[1,2]},"sub":"u"}`,
		`[]`,
		``,
	}
	for _, doc := range docs {
		var got claims
		gotErr := got.UnmarshalJSON([]byte(doc))
		want, wantErr := slowDecode([]byte(doc))
		if (gotErr == nil) != (wantErr == nil) {
			t.Errorf("%s: err %v, encoding/json %v", doc, gotErr, wantErr)
			continue
		}
		if gotErr == nil && !reflect.DeepEqual(normal(got), normal(want)) {
			t.Errorf("%s:\n got %+v\nwant %+v", doc, got, want)
		}
	}
}

// normal compares times as instants and aud as plain slices.
func normal(c claims) claims {
	for _, d := range []*time.Time{&c.iat.Time, &c.exp.Time, &c.nbf.Time} {
		*d = d.UTC()
	}
	c.aud = append([]string(nil), c.aud...)
	c.audBuf = [1]string{}
	c.amr = append([]string(nil), c.amr...)
	c.amrBuf = [maxFastAMR]string{}
	return c
}

func TestMarshalIsValidJSON(t *testing.T) {
	c := claims{iss: "authd", sub: "a\"b\\c\n\x01é\xff", role: "user", sid: "s", jti: "j"}
	c.audBuf[0] = "</script>"
	c.aud = c.audBuf[:1]
	c.iat.Time, c.exp.Time = time.Unix(1, 0), time.Unix(2, 0)
	b, err := c.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if m["sub"] != "a\"b\\c\n\x01é\uFFFD" || m["aud"] != "</script>" || m["exp"] != 2.0 || len(m) != 8 {
		t.Fatalf("%s -> %v", b, m)
	}
}
