package authd

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/authd-dev/authd/domain"
)

// value is one setting's field of a Config. Set parses a variable or flag
// into it; Check holds the field to its bounds however it was set, from
// the environment, a flag or Go. Errors never repeat a secret.
type value interface {
	Set(string) error
	String() string
	Check() error
}

type textValue struct{ p *string }

func (v textValue) Set(s string) error { *v.p = s; return nil }
func (v textValue) String() string     { return deref(v.p) }
func (v textValue) Check() error       { return nil }

// choiceValue is a string from a fixed list.
type choiceValue struct {
	p       *string
	allowed []string
}

// Set refuses a value off the list, leaving the field as it was, so that
// rules depending on it (the driver's) judge by a real value.
func (v choiceValue) Set(s string) error {
	if err := v.allowing(s); err != nil {
		return err
	}
	*v.p = s
	return nil
}

func (v choiceValue) String() string { return deref(v.p) }
func (v choiceValue) Check() error   { return v.allowing(*v.p) }

func (v choiceValue) allowing(s string) error {
	if !slices.Contains(v.allowed, s) {
		return fmt.Errorf("must be one of %s, not %q", strings.Join(v.allowed, ", "), s)
	}
	return nil
}

// switchValue is a bool spelled as one of two words (open/closed).
type switchValue struct {
	p       *bool
	on, off string
}

func (v switchValue) Set(s string) error {
	switch s {
	case v.on, v.off:
		*v.p = s == v.on
		return nil
	}
	return fmt.Errorf("must be %s or %s, not %q", v.on, v.off, s)
}

func (v switchValue) String() string {
	if v.p != nil && *v.p {
		return v.on
	}
	return v.off
}

func (v switchValue) Check() error { return nil }

type boolValue struct{ p *bool }

func (v boolValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("not true or false: %q", s)
	}
	*v.p = b
	return nil
}

func (v boolValue) String() string { return strconv.FormatBool(v.p != nil && *v.p) }
func (v boolValue) Check() error   { return nil }

// durationValue is a Go duration within [min, max] (max 0: none).
type durationValue struct {
	p        *time.Duration
	min, max time.Duration
}

func (v durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("not a duration like 15m: %q", s)
	}
	*v.p = d
	return nil
}

func (v durationValue) String() string {
	if v.p == nil {
		return ""
	}
	return v.p.String()
}

func (v durationValue) Check() error {
	return checkRange(*v.p, v.min, v.max, shortDuration)
}

// shortDuration writes d as a variable would be: 1m, not 1m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if t, ok := strings.CutSuffix(s, "m0s"); ok {
		s = t + "m"
	}
	if t, ok := strings.CutSuffix(s, "h0m"); ok {
		s = t + "h"
	}
	return s
}

// atLeast, between and positive bound a duration.
func atLeast(p *time.Duration, min time.Duration) value { return durationValue{p: p, min: min} }

func between(p *time.Duration, min, max time.Duration) value {
	return durationValue{p: p, min: min, max: max}
}

func positive(p *time.Duration) value { return atLeast(p, 1) }

// intValue is a whole number within [min, max] (max 0: none).
type intValue struct {
	p        *int
	min, max int
}

func (v intValue) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("not a whole number: %q", s)
	}
	*v.p = n
	return nil
}

func (v intValue) String() string {
	if v.p == nil {
		return ""
	}
	return strconv.Itoa(*v.p)
}

func (v intValue) Check() error { return checkRange(*v.p, v.min, v.max, strconv.Itoa) }

func count(p *int) value                 { return intValue{p: p} }
func countFrom(p *int, min int) value    { return intValue{p: p, min: min} }
func countIn(p *int, min, max int) value { return intValue{p: p, min: min, max: max} }

// checkRange holds n to [min, max]; a max of 0 is no upper bound, and a
// min of 1 (for durations, 1ns) reads "positive".
func checkRange[N int | time.Duration](n, min, max N, format func(N) string) error {
	switch {
	case max != 0 && (n < min || n > max):
		return fmt.Errorf("must be between %s and %s", format(min), format(max))
	case n >= min:
		return nil
	case min == 0:
		return errors.New("must not be negative")
	case min == 1:
		return errors.New("must be positive")
	}
	return fmt.Errorf("must be at least %s", format(min))
}

// listValue is a comma-separated list; blanks around items are dropped.
// item, when set, checks each entry.
type listValue struct {
	p    *[]string
	item func(string) error
}

func (v listValue) Set(s string) error {
	*v.p = nil
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			*v.p = append(*v.p, item)
		}
	}
	return nil
}

func (v listValue) String() string {
	if v.p == nil {
		return ""
	}
	return strings.Join(*v.p, ",")
}

func (v listValue) Check() error {
	if v.item == nil {
		return nil
	}
	var errs []error
	for _, item := range *v.p {
		errs = append(errs, v.item(item))
	}
	return errors.Join(errs...)
}

// secretValue is a secret: empty, or at least domain.MinSecretBytes. Its
// String is empty, so no listing or error can show it.
type secretValue struct{ p *string }

func (v secretValue) Set(s string) error { *v.p = s; return nil }
func (v secretValue) String() string     { return "" }
func (v secretValue) Check() error       { return checkSecret(*v.p) }

func checkSecret(s string) error {
	if s != "" && len(s) < domain.MinSecretBytes {
		return fmt.Errorf("must be at least %d bytes", domain.MinSecretBytes)
	}
	return nil
}

// secretList is a comma-separated list of secrets; an error names the
// entry by position, never by value.
type secretList struct{ p *[]string }

func (v secretList) Set(s string) error { return listValue{p: v.p}.Set(s) }
func (v secretList) String() string     { return "" }
func (v secretList) Check() error {
	for i, s := range *v.p {
		if err := checkSecret(s); err != nil {
			return fmt.Errorf("entry #%d %w", i+1, err)
		}
	}
	return nil
}

// checkedText is free text with a check of its own (URLs, addresses).
type checkedText struct {
	p     *string
	check func(string) error
}

func (v checkedText) Set(s string) error { *v.p = s; return nil }
func (v checkedText) String() string     { return deref(v.p) }
func (v checkedText) Check() error       { return v.check(*v.p) }

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
