package authd

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/authd-dev/authd/domain"
)

// textValue is free text.
type textValue struct{ p *string }

func (v textValue) Set(s string) error { *v.p = s; return nil }
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

func (v choiceValue) Check() error { return v.allowing(*v.p) }

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

func (v switchValue) Check() error { return nil }

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

// secretValue is a secret: empty, or at least domain.MinSecretBytes. No
// error repeats it.
type secretValue struct{ p *string }

func (v secretValue) Set(s string) error { *v.p = s; return nil }
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
func (v checkedText) Check() error       { return v.check(*v.p) }
