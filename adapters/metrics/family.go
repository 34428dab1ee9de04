package metrics

import (
	"strings"
	"sync"
)

// maxLabels is the most labels any authd family has.
const maxLabels = 3

// family is one metric name with fixed label names. A series is created on
// first use of its label values and found again without allocating, so
// the per-request cost is one read-locked map lookup.
type family[T any] struct {
	name   string
	labels []string
	create func(series string) T
	mu     sync.RWMutex
	series map[[maxLabels]string]T
}

func newFamily[T any](name string, labels []string, create func(string) T) *family[T] {
	if len(labels) > maxLabels {
		panic("metrics: too many labels for " + name)
	}
	return &family[T]{name: name, labels: labels, create: create, series: map[[maxLabels]string]T{}}
}

// with returns the series for values, given in the order of the labels.
func (f *family[T]) with(values ...string) T {
	var key [maxLabels]string
	copy(key[:], values)
	f.mu.RLock()
	s, ok := f.series[key]
	f.mu.RUnlock()
	if ok {
		return s
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if s, ok := f.series[key]; ok {
		return s
	}
	s = f.create(f.seriesName(values))
	f.series[key] = s
	return s
}

// seriesName renders name{label="value",…} with the exposition format's
// escaping of backslash, double quote and newline.
func (f *family[T]) seriesName(values []string) string {
	var b strings.Builder
	b.WriteString(f.name)
	b.WriteByte('{')
	for i, l := range f.labels {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(l)
		b.WriteString(`="`)
		b.WriteString(labelEscaper.Replace(values[i]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
