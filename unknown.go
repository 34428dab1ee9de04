package authd

import (
	"strings"
)

// UnknownVariable is an AUTHD_* variable that no setting reads: most
// likely a misspelling, when Suggestion (the closest setting) is set, or a
// retired setting, when Advice says what to set instead.
type UnknownVariable struct {
	Name       string
	Suggestion string
	Advice     string
}

func (u UnknownVariable) String() string {
	switch {
	case u.Advice != "":
		return u.Name + ": no longer read; " + u.Advice
	case u.Suggestion != "":
		return u.Name + ": unknown variable; did you mean " + u.Suggestion + "?"
	}
	return u.Name + ": unknown variable"
}

// testPrefix marks the test suite's own variables (AUTHD_TEST_*), which
// are no settings and are never reported.
const testPrefix = "AUTHD_TEST_"

// UnknownVariables returns the AUTHD_* names among environ ("NAME=value"
// entries, as os.Environ gives them, or bare names) that are no setting,
// in their order. Values are never looked at.
func UnknownVariables(environ []string) []UnknownVariable {
	known := map[string]bool{}
	var names []string
	for _, s := range settings(&Config{}) {
		known[s.env] = true
		names = append(names, s.env)
	}
	var out []UnknownVariable
	for _, entry := range environ {
		name, _, _ := strings.Cut(entry, "=")
		if !strings.HasPrefix(name, "AUTHD_") || strings.HasPrefix(name, testPrefix) || known[name] {
			continue
		}
		if advice, ok := retired[name]; ok {
			out = append(out, UnknownVariable{Name: name, Advice: advice})
			continue
		}
		out = append(out, UnknownVariable{Name: name, Suggestion: closest(name, names)})
	}
	return out
}

// closest is the name nearest to name by edit distance, when it is near
// enough to be a misspelling: at most 3 edits, and at most a third
// (rounded up) of the part after AUTHD_.
func closest(name string, names []string) string {
	best, bestDist := "", 0
	for _, n := range names {
		if d := editDistance(name, n); best == "" || d < bestDist {
			best, bestDist = n, d
		}
	}
	if limit := min(3, (len(name)-len("AUTHD_")+2)/3); bestDist > limit {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, by bytes (the
// names are ASCII).
func editDistance(a, b string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
