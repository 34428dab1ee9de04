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
	if cfg.Log.Format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// startLog is the process logger, having warned of the AUTHD_* variables
// that no setting reads: misspellings, most likely, or retired settings
// (AUTHD_MEMORY_LIMIT), named so that a deployment still setting one does
// not lose what it set unnoticed.
func startLog(cfg authd.Config, env environment, w io.Writer) *slog.Logger {
	log := newLogger(cfg, w)
	for _, u := range authd.UnknownVariables(env.names()) {
		log.Warn(u.String(), slog.String("variable", u.Name), slog.String("suggestion", u.Suggestion))
	}
	return log
}

// warnAtStart logs the settings that serve but deserve an operator's look.
func warnAtStart(cfg authd.Config, log *slog.Logger) {
	if cfg.Hashing.BcryptCost < 10 {
		log.Warn("AUTHD_BCRYPT_COST is below 10: passwords are cheap to guess offline")
	}
}
