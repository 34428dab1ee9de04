package authd

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// value is one setting's field of a Config. Set parses a variable or flag
// into it; Check holds the field to its bounds however it was set, from
// the environment, a flag or Go. Errors never repeat a secret.
type value interface {
	Set(string) error
	Check() error
}

type boolValue struct{ p *bool }

func (v boolValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("not true or false: %q", s)
	}
	*v.p = b
	return nil
}

func (v boolValue) Check() error { return nil }

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

func (v intValue) Check() error { return checkRange(*v.p, v.min, v.max, strconv.Itoa) }

func count(p *int) value                 { return intValue{p: p} }
func countFrom(p *int, min int) value    { return intValue{p: p, min: min} }
func countIn(p *int, min, max int) value { return intValue{p: p, min: min, max: max} }

// checkRange holds n to [min, max]; a max of 0 is no upper bound, and a
// min of 1 (for durations, 1ns) reads "positive".
func checkRange[N int | time.Duration](n, min, max N, format func(N) string) error {
	switch {
	case max != 0 && min == 1 && (n < min || n > max):
		return fmt.Errorf("must be positive and at most %s", format(max))
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
