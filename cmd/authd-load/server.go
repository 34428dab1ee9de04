package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/authd-dev/authd"
)

// server is an authd process the tool built and started.
type server struct {
	cmd  *exec.Cmd
	base string
	env  map[string]string
	log  string
}

// baseEnv is the configuration of a started server: fixed secrets, no IP
// rate limit or login throttle (one client address drives all the load),
// and access tokens that outlive the whole run.
func baseEnv(dir, driver, dsn string, cost int) map[string]string {
	return map[string]string{
		"AUTHD_DB_DRIVER": driver, "AUTHD_DB_DSN": dsn, "AUTHD_DATA_DIR": dir,
		"AUTHD_JWT_SECRET":     "authd-load-jwt-secret-0123456789abcdefghij",
		"AUTHD_REFRESH_SECRET": "authd-load-refresh-secret-0123456789abcdefg",
		"AUTHD_BCRYPT_COST":    strconv.Itoa(cost), "AUTHD_IP_RATE_LIMIT": "0", "AUTHD_LOGIN_MAX_FAILURES": "0",
		"AUTHD_LOGIN_MAX_FAILURES_ACCOUNT": "0", "AUTHD_IP_MAX_FAILURES": "0",
		"AUTHD_ACCESS_TTL": "3h", "AUTHD_LOG_FORMAT": "json",
	}
}

// buildServer compiles ./cmd/authd into dir the way the Dockerfile does
// (static, cgo-free, stripped, without Gin's unused MessagePack codec), so
// the measured process is the shipped one.
func buildServer(dir string) (string, error) {
	bin := filepath.Join(dir, "authd")
	cmd := exec.Command("go", "build", "-tags", "nomsgpack", "-trimpath", "-ldflags", "-s -w", "-o", bin, "./cmd/authd")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/authd (run from the repository root): %w", err)
	}
	return bin, nil
}

// startServer runs bin with env on a free loopback port, its log in
// logPath, and waits until /readyz answers.
func startServer(ctx context.Context, bin, logPath string, env map[string]string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	env["AUTHD_HTTP_ADDR"] = "127.0.0.1:" + strconv.Itoa(port)
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(bin, "serve")
	cmd.Env = os.Environ() // GOGC, GOMEMLIMIT, GOMAXPROCS pass through
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, base: "http://" + env["AUTHD_HTTP_ADDR"], env: env, log: logPath}
	if err := s.waitReady(ctx, 30*time.Second); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func (s *server) waitReady(ctx context.Context, d time.Duration) error {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if res, err := http.Get(s.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("authd did not become ready in %s; see %s", d, s.log)
}

// stop ends the server gracefully and returns its peak RSS in KiB.
func (s *server) stop() int {
	peak := peakRSS(s.cmd.Process.Pid)
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
	return peak
}

func (s *server) config() (authd.Config, error) {
	return authd.Load(nil, func(k string) string { return s.env[k] }, io.Discard)
}

// peakRSS reads VmHWM (peak resident set, KiB) of pid; 0 if unreadable.
func peakRSS(pid int) int { return procStatus(pid)["VmHWM"] }

// procStatus reads the kB fields of /proc/<pid>/status.
func procStatus(pid int) map[string]int {
	out := map[string]int{}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if v, isKB := strings.CutSuffix(strings.TrimSpace(v), " kB"); ok && isKB {
			out[k], _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	return out
}

// rssSampler records the peak anonymous and file-backed resident memory
// of pid: VmHWM is their peak sum, and the split shows how much of it is
// the binary's mapped code (file) versus heap, stacks and SQLite (anon).
type rssSampler struct {
	stop       chan struct{}
	done       chan struct{}
	anon, file int
}

func sampleRSS(pid int, every time.Duration) *rssSampler {
	s := &rssSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			st := procStatus(pid)
			s.anon, s.file = max(s.anon, st["RssAnon"]), max(s.file, st["RssFile"])
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// peaks ends sampling and returns the peak anonymous and file RSS in KiB.
func (s *rssSampler) peaks() (anon, file int) {
	close(s.stop)
	<-s.done
	return s.anon, s.file
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
