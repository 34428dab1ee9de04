package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// environment is the process environment, read once at start: commands
// look variables up in it, and its names are checked for misspellings.
type environment map[string]string

// environ parses os.Environ's "NAME=value" entries.
func environ(entries []string) environment {
	env := environment{}
	for _, e := range entries {
		if name, value, ok := strings.Cut(e, "="); ok {
			env[name] = value
		}
	}
	return env
}

func (e environment) get(name string) string { return e[name] }

// names are the variables set, sorted.
func (e environment) names() []string { return slices.Sorted(maps.Keys(e)) }

// parseFlags parses a subcommand's flags; --help prints its synopsis and
// flags to stdout and returns flag.ErrHelp. Positional arguments are an
// error.
func parseFlags(fs *flag.FlagSet, args []string, synopsis string, stdout io.Writer) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, "usage: %s\n\nFlags:\n", synopsis)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
	}
	if err == nil && fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return err
}
