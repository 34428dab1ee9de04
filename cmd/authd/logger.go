package main

import (
	"io"
	"log/slog"

	"github.com/authd-dev/authd"
)

// newLogger builds the process logger in cfg's format (AUTHD_LOG_FORMAT),
// at level info.
func newLogger(cfg authd.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// warnAtStart logs the settings that serve but deserve an operator's look.
// AUTHD_MEMORY_LIMIT is not read (Go's GOMEMLIMIT does the same); it is
// named so that a deployment still setting it does not lose its limit
// unnoticed.
func warnAtStart(cfg authd.Config, getenv func(string) string, log *slog.Logger) {
	if cfg.BcryptCost < 10 {
		log.Warn("AUTHD_BCRYPT_COST is below 10: passwords are cheap to guess offline")
	}
	if getenv("AUTHD_MEMORY_LIMIT") != "" {
		log.Warn("AUTHD_MEMORY_LIMIT is not read; set GOMEMLIMIT, which the Go runtime applies itself")
	}
}
