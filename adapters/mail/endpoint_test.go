package mail_test

import (
	"strings"
	"testing"

	"github.com/authd-dev/authd/adapters/mail"
)

func TestParseURL(t *testing.T) {
	cases := map[string]mail.Server{
		"smtp://mail.example.com":                {Host: "mail.example.com", Port: 587, Security: mail.StartTLS},
		"smtp://mail.example.com:2525/":          {Host: "mail.example.com", Port: 2525, Security: mail.StartTLS},
		"smtps://u%40x:p%3Aw@mail.example.com":   {Host: "mail.example.com", Port: 465, Security: mail.ImplicitTLS, Username: "u@x", Password: "p:w"},
		"smtp://relay:25?tls=none":               {Host: "relay", Port: 25, Security: mail.NoTLS},
		"smtp://apikey:secret@[2001:db8::1]:587": {Host: "2001:db8::1", Port: 587, Security: mail.StartTLS, Username: "apikey", Password: "secret"},
		"smtp://only-user@mail.example.com:587":  {Host: "mail.example.com", Port: 587, Security: mail.StartTLS, Username: "only-user"},
		"smtps://mail.example.com:465?":          {Host: "mail.example.com", Port: 465, Security: mail.ImplicitTLS},
		"SMTP://Mail.Example.com:587":            {Host: "Mail.Example.com", Port: 587, Security: mail.StartTLS},
	}
	for raw, want := range cases {
		got, err := mail.ParseURL(raw)
		if err != nil || got != want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
}

func TestParseURLRefusesWithoutRepeatingThePassword(t *testing.T) {
	const pw = "hunter2-secret"
	for _, raw := range []string{
		"",
		"mail.example.com:587",
		"http://u:" + pw + "@mail.example.com",
		"smtp://u:" + pw + "@",
		"smtp://u:" + pw + "@mail.example.com:0",
		"smtp://u:" + pw + "@mail.example.com:70000",
		"smtp://u:" + pw + "@mail.example.com:port",
		"smtp://u:" + pw + "@mail.example.com/inbox",
		"smtp://u:" + pw + "@mail.example.com?tls=none",
		"smtp://mail.example.com?tls=off",
		"smtp://mail.example.com?tls=none&tls=none",
		"smtp://mail.example.com?timeout=5s",
		"smtps://mail.example.com?tls=none",
		"smtp://u:" + pw + "@mail.example.com:587:1",
		"smtp://u:" + pw + "@mail.example.com#frag",
		"smtp:mail.example.com",
		"smtp://u:" + pw + "%zz@mail.example.com",
	} {
		_, err := mail.ParseURL(raw)
		if err == nil {
			t.Errorf("ParseURL(%q) accepted", raw)
			continue
		}
		if strings.Contains(err.Error(), pw) {
			t.Errorf("ParseURL(%q) error repeats the password: %v", raw, err)
		}
	}
}

func TestServerStringHidesThePassword(t *testing.T) {
	s, err := mail.ParseURL("smtps://user:topsecret@mail.example.com")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.String(); got != "smtps://user@mail.example.com:465" {
		t.Errorf("String() = %q", got)
	}
	plain, _ := mail.ParseURL("smtp://relay:25?tls=none")
	if got := plain.String(); got != "smtp://relay:25?tls=none" {
		t.Errorf("String() = %q", got)
	}
}
