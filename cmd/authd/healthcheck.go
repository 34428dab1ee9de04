package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheck probes the local server's /readyz, so a distroless container
// (no shell, no curl) can still have a health check.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("authd healthcheck", flag.ContinueOnError)
	url := fs.String("url", "", "readiness URL (default: /readyz on AUTHD_HTTP_ADDR)")
	if err := parseFlags(fs, args, "authd healthcheck [--url U]", stdout); err != nil {
		return err
	}
	if *url == "" {
		*url = "http://" + localAddr(getenv("AUTHD_HTTP_ADDR")) + "/readyz"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("not ready: %w", err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: %s", res.Status)
	}
	return nil
}

// localAddr turns a listen address such as ":8080" into one to dial.
func localAddr(listen string) string {
	if listen == "" {
		listen = ":8080"
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
