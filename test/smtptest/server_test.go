package smtptest

import (
	"net/smtp"
	"testing"
)

// Await returns once a message sent from another goroutine has arrived.
func TestAwaitReturnsWhatArrives(t *testing.T) {
	srv := Start(t, Options{Mode: Plain})
	sent := make(chan error, 1)
	go func() {
		sent <- smtp.SendMail(srv.Addr(), nil, "a@example.com", []string{"b@example.com"},
			[]byte("Subject: hi\r\n\r\nhello\r\n"))
	}()
	got := srv.Await(t, 1)
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].From != "a@example.com" || got[0].To[0] != "b@example.com" || got[0].TLS {
		t.Fatalf("got %+v", got)
	}
}
