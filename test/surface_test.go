package test

import (
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// supported are the packages whose exported API embedding teams may build
// on; every other package says it is internal to authd.
var supported = map[string]bool{
	"": true, "/domain": true, "/ports": true, "/adapters/httpapi": true,
	"/adapters/httpapi/jwtverify": true, "/adapters/memstore": true, "/test/contract": true,
	"/adapters/auditlog": true, "/adapters/clock": true,
}

// TestEveryPackageDeclaresItsSurface: each package but the commands and
// internal/ folders has a doc.go whose first paragraph says whether it is
// supported API, and the supported ones are exactly the declared set.
func TestEveryPackageDeclaresItsSurface(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{.Name}} {{.Dir}}", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, name, dir := strings.TrimPrefix(fields[0], module), fields[1], fields[2]
		if name == "main" || strings.Contains(pkg+"/", "/internal/") {
			continue
		}
		checked++
		first := firstDocParagraph(t, filepath.Join(dir, "doc.go"))
		claims, internal := strings.Contains(first, "Supported API"), strings.Contains(first, "Internal to authd")
		switch {
		case first == "":
			t.Errorf("%s: no doc.go with a package comment", fields[0])
		case pkg == "/test":
			// end-to-end tests only: no API either way
		case claims == internal:
			t.Errorf("%s: doc.go's first paragraph must say either \"Supported API\" or \"Internal to authd\"", fields[0])
		case claims != supported[pkg]:
			t.Errorf("%s: declared supported=%v, want %v (change the supported set deliberately)", fields[0], claims, supported[pkg])
		}
	}
	if checked < 10 {
		t.Fatalf("only %d packages checked; go list output looks wrong", checked)
	}
}

// firstDocParagraph is the first paragraph of path's package comment, or
// "" when the file or the comment is missing.
func firstDocParagraph(t *testing.T, path string) string {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		if os.IsNotExist(err) {
			return ""
		}
		t.Fatalf("parse %s: %v", path, err)
	}
	if f.Doc == nil {
		return ""
	}
	first, _, _ := strings.Cut(f.Doc.Text(), "\n\n")
	return strings.Join(strings.Fields(first), " ")
}
