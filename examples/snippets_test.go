package examples_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every Go snippet in the README and docs/ is an excerpt of a file here,
// which CI compiles and runs: a snippet that drifts from the code fails.
func TestDocSnippetsAreExcerptsOfExamples(t *testing.T) {
	docs, _ := filepath.Glob("../docs/*.md")
	docs = append(docs, "../README.md")
	sources := exampleSources(t)
	blocks := 0
	for _, doc := range docs {
		for i, block := range goBlocks(t, doc) {
			blocks++
			if !excerptOfAny(block, sources) {
				t.Errorf("%s: Go snippet %d is not an excerpt of any file under examples/:\n%s",
					doc, i+1, strings.Join(block, "\n"))
			}
		}
	}
	if blocks == 0 {
		t.Fatal("no Go snippets found in the README or docs/: is the path right?")
	}
}

// goBlocks returns each ```go block of path as trimmed, non-blank lines.
func goBlocks(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var blocks [][]string
	var cur []string
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```go":
			in, cur = true, nil
		case in && strings.TrimSpace(line) == "```":
			in = false
			blocks = append(blocks, cur)
		case in && strings.TrimSpace(line) != "":
			cur = append(cur, strings.TrimSpace(line))
		}
	}
	return blocks
}

// exampleSources returns every Go file under examples/ as trimmed,
// non-blank lines.
func exampleSources(t *testing.T) [][]string {
	t.Helper()
	var out [][]string
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var lines []string
		for _, l := range strings.Split(string(b), "\n") {
			if s := strings.TrimSpace(l); s != "" {
				lines = append(lines, s)
			}
		}
		out = append(out, lines)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func excerptOfAny(block []string, sources [][]string) bool {
	for _, src := range sources {
		for start := 0; start+len(block) <= len(src); start++ {
			if equal(src[start:start+len(block)], block) {
				return true
			}
		}
	}
	return false
}

func equal(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
