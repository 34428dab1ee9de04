package examples_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"

	"github.com/authd-dev/authd"
)

// config is a minimal configuration: SQLite in dir, fixed secrets, cheap
// bcrypt. A real deployment loads its own environment the same way.
func config(dir string, extra map[string]string) authd.Config {
	vars := map[string]string{
		"AUTHD_DATA_DIR":       dir,
		"AUTHD_JWT_SECRET":     "example-jwt-secret-0123456789abcdefghijklmn",
		"AUTHD_REFRESH_SECRET": "example-refresh-secret-0123456789abcdefghij",
		"AUTHD_BCRYPT_COST":    "4",
	}
	for k, v := range extra {
		vars[k] = v
	}
	cfg, err := authd.Load(nil, func(k string) string { return vars[k] }, io.Discard)
	if err != nil {
		log.Fatal(err)
	}
	return cfg
}

func tempDir() string {
	dir, err := os.MkdirTemp("", "authd-example-")
	if err != nil {
		log.Fatal(err)
	}
	return dir
}

// call sends a JSON request to url and decodes the JSON answer into out
// (when not nil); it returns the status.
func call(method, url, bearer string, body, out any) int {
	var b bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&b).Encode(body); err != nil {
			log.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, url, &b)
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer res.Body.Close()
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			log.Fatal(err)
		}
	}
	return res.StatusCode
}

type tokens struct {
	AccessToken string `json:"accessToken"`
}

// register creates an account through the API and returns its access token.
func register(base, email string) string {
	var t tokens
	if code := call(http.MethodPost, base+"/v1/auth/register", "", map[string]string{
		"email": email, "password": "correct horse battery staple"}, &t); code != http.StatusCreated {
		log.Fatalf("register: %d", code)
	}
	return t.AccessToken
}
