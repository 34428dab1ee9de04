package authd

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
)

// Sections lists every section in order. Load with no sections reads all.
func Sections() []Section {
	var out []Section
	for _, s := range settings(&Config{}) {
		if !slices.Contains(out, s.section) {
			out = append(out, s.section)
		}
	}
	return out
}

// Load reads the settings of sections (every section when none is given)
// from getenv and then from args, a flag winning over its variable, and
// checks them. Settings of other sections keep their defaults and their
// variables are not read, so a command is never refused for a setting it
// does not use. Every bad value is reported, each naming its variable, in
// one error (errors.Join). An empty variable counts as unset.
//
// -h or --help in args writes the sections' flags to out and returns an
// error matching flag.ErrHelp.
func Load(args []string, getenv func(string) string, out io.Writer, sections ...Section) (Config, error) {
	c := DefaultConfig()
	rows := selected(settings(&c), sections)
	bad := map[string]error{} // by variable; a later good flag clears it
	for _, s := range rows {
		if v := getenv(s.env); v != "" {
			bad[s.env] = s.value.Set(v)
		}
	}
	fs := flag.NewFlagSet("authd", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	for _, s := range rows {
		fs.Func(s.flag(), s.usage, func(v string) error {
			bad[s.env] = s.value.Set(v) // recorded, so that parsing goes on to the next flag
			return nil
		})
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			PrintFlags(out, sections...)
		}
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := check(rows, bad); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate checks the settings of sections (all when none) as Load does,
// for a Config built in Go: every bad value in one error, each naming its
// variable.
func (c Config) Validate(sections ...Section) error {
	return check(selected(settings(&c), sections), nil)
}

// check runs each row's bounds and rule unless its value did not even
// parse (reported as is).
func check(rows []setting, bad map[string]error) error {
	var errs []error
	for _, s := range rows {
		err := bad[s.env]
		if err == nil {
			err = s.value.Check()
		}
		if err == nil && s.rule != nil {
			err = s.rule()
		}
		for _, e := range flatten(err) {
			errs = append(errs, fmt.Errorf("%s: %w", s.env, e))
		}
	}
	return errors.Join(errs...)
}

// flatten lists the errors joined in err, so that each gets a line naming
// its variable.
func flatten(err error) []error {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		if err == nil {
			return nil
		}
		return []error{err}
	}
	var out []error
	for _, e := range joined.Unwrap() {
		out = append(out, flatten(e)...)
	}
	return out
}

// selected keeps the rows of sections, or all rows when there are none.
func selected(rows []setting, sections []Section) []setting {
	if len(sections) == 0 {
		return rows
	}
	return slices.DeleteFunc(rows, func(s setting) bool { return !slices.Contains(sections, s.section) })
}

// PrintFlags writes the flags of sections (all when none), grouped under
// their section, with their variable and default. Secrets show no value.
func PrintFlags(w io.Writer, sections ...Section) {
	fmt.Fprintln(w, "Flags (each also read from the variable named; a flag wins over its variable):")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	var last Section
	for _, s := range selected(settings(&Config{}), sections) {
		if s.section != last {
			fmt.Fprintf(tw, "\n%s\n", s.section)
			last = s.section
		}
		def := ""
		if s.def != "" {
			def = fmt.Sprintf(", default %q", s.def)
		}
		fmt.Fprintf(tw, "  --%s\t%s (%s%s)\n", s.flag(), s.usage, s.env, def)
	}
	_ = tw.Flush()
}
