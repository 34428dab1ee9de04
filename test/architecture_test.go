package test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/authd-dev/authd"

// TestDependencyRule enforces ARCHITECTURE.md's import table on non-test code.
func TestDependencyRule(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := strings.TrimPrefix(fields[0], module), fields[1:]
		for _, imp := range imports {
			if why := forbidden(pkg, imp); why != "" {
				t.Errorf("%s imports %s: %s", fields[0], imp, why)
			}
		}
		checked++
	}
	if checked < 10 {
		t.Fatalf("only %d packages checked; go list output looks wrong", checked)
	}
}

// forbidden returns why package pkg (relative to the module) may not import imp.
func forbidden(pkg, imp string) string {
	internal := strings.HasPrefix(imp, module)
	rel := strings.TrimPrefix(imp, module)
	std := !strings.Contains(strings.Split(imp, "/")[0], ".")
	switch {
	case strings.HasPrefix(pkg, "/domain"):
		if !std {
			return "domain imports only the standard library"
		}
	case pkg == "/ports":
		if !std && rel != "/domain" {
			return "ports imports only the standard library and domain"
		}
	case strings.HasPrefix(pkg, "/application"):
		if !std && rel != "/domain" && rel != "/ports" {
			return "application imports only the standard library, domain and ports"
		}
	case strings.HasPrefix(pkg, "/adapters/"):
		own := "/adapters/" + strings.Split(strings.TrimPrefix(pkg, "/adapters/"), "/")[0]
		if internal && (rel == "" || strings.HasPrefix(rel, "/application") || strings.HasPrefix(rel, "/cmd") ||
			strings.HasPrefix(rel, "/test") || (strings.HasPrefix(rel, "/adapters/") && !strings.HasPrefix(rel+"/", own+"/"))) {
			return "adapters never import application, the root, cmd, test or another adapter"
		}
	case pkg == "":
		if strings.HasPrefix(rel, "/cmd") || strings.HasPrefix(rel, "/test") {
			return "the root never imports cmd or test"
		}
	case pkg == "/cmd/authd":
		if internal && rel != "" {
			return "the CLI imports only the root, as an embedding program would"
		}
	case strings.HasPrefix(pkg, "/cmd/"):
		if internal && rel != "" && rel != "/domain" && !strings.HasPrefix(rel, "/adapters/") {
			return "the load tool imports only the root, domain and the adapters it builds the server's parts from"
		}
	}
	return ""
}

func TestForbiddenRuleExamples(t *testing.T) {
	cases := []struct {
		pkg, imp string
		bad      bool
	}{
		{"/domain", "time", false},
		{"/domain", module + "/ports", true},
		{"/domain", "github.com/google/uuid", true},
		{"/application", module + "/ports", false},
		{"/application", module + "/adapters/jwt", true},
		{"/application", "github.com/gin-gonic/gin", true},
		{"/adapters/httpapi", module + "/adapters/sqlstore", true},
		{"/adapters/httpapi/jwtverify", module + "/adapters/httpapi", false},
		{"/adapters/httpapi", module + "/application", true},
		{"/adapters/httpapi", module + "/ports", false},
		{"", module + "/cmd/authd", true},
		{"/cmd/authd", module + "/adapters/jwt", true},
		{"/cmd/authd", module, false},
		{"/cmd/authd-load", module + "/adapters/sqlstore", false},
		{"/cmd/authd-load", module + "/domain", false},
		{"/cmd/authd-load", module + "/application", true},
		{"/cmd/authd-load", module + "/test/backends", true},
		{"/cmd/authd-load", module + "/cmd/authd", true},
	}
	for _, c := range cases {
		if got := forbidden(c.pkg, c.imp) != ""; got != c.bad {
			t.Errorf("forbidden(%q, %q) = %v, want %v", c.pkg, c.imp, got, c.bad)
		}
	}
}

// jsonTagHomes are the packages whose job is a JSON wire format: the HTTP
// API, the access-token codec and the load tool's report.
var jsonTagHomes = []string{"adapters/httpapi/", "adapters/jwt/", "cmd/authd-load/"}

// TestStructTagsStayAtTheirEdge: json tags only in the adapters of a JSON
// wire format.
func TestStructTagsStayAtTheirEdge(t *testing.T) {
	root := repoRoot(t)
	files := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, "test/") || strings.HasPrefix(rel, "examples/") {
			return nil
		}
		files++
		for _, tag := range structTags(t, path) {
			if v, ok := reflect.StructTag(tag).Lookup("json"); ok && !slices.ContainsFunc(jsonTagHomes, func(h string) bool {
				return strings.HasPrefix(rel, h)
			}) {
				t.Errorf("%s: json tag %q outside %v", rel, v, jsonTagHomes)
			}
		}
		return nil
	})
	if err != nil || files < 20 {
		t.Fatalf("walked %d files: %v", files, err)
	}
}

func structTags(t *testing.T, path string) []string {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	var tags []string
	ast.Inspect(f, func(n ast.Node) bool {
		if field, ok := n.(*ast.Field); ok && field.Tag != nil {
			if s, err := strconv.Unquote(field.Tag.Value); err == nil {
				tags = append(tags, s)
			}
		}
		return true
	})
	return tags
}

func repoRoot(t *testing.T) string {
	dir, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("repo root not found from %s", dir)
	}
	return dir
}
