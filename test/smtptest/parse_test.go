package smtptest

import (
	"strings"
	"testing"
)

func TestParseMessageWantsBothAlternatives(t *testing.T) {
	const textOnly = "Subject: hi\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
	if _, err := ParseMessage([]byte(textOnly)); err == nil {
		t.Error("a single text/plain message parsed as an account mail")
	}
	noHTML := "Subject: hi\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n"
	if _, err := ParseMessage([]byte(noHTML)); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("err = %v, want a missing part", err)
	}
	both := "Subject: =?UTF-8?q?R=C3=A9initialiser?=\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nhttps://x/#a=3Db=\r\nc\r\n" +
		"--b\r\nContent-Type: text/html\r\n\r\n<a href=\"https://x/#a=bc\">x</a>\r\n--b--\r\n"
	p, err := ParseMessage([]byte(both))
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "Réinitialiser" || FindLink(p.Text, "https://x/") != "https://x/#a=bc" || FindLink(p.HTML, "https://x/") != "https://x/#a=bc" {
		t.Errorf("parsed %+v", p)
	}
}
