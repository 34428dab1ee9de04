package authd

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// configurationDoc is the configuration reference that the settings table
// is checked against, so that neither changes without the other.
const configurationDoc = "docs/configuration.md"

// machineDefaults are settings whose default depends on the machine, so
// the reference describes it in words instead of showing the value.
var machineDefaults = map[string]bool{"AUTHD_DB_MAX_CONNS": true, "AUTHD_HASH_QUEUE": true}

// misspellings are names the reference shows as examples of unknown
// variables.
var misspellings = map[string]bool{"AUTHD_ACESS_TTL": true}

// settingName matches a variable name; a bare "AUTHD_" prefix is not one.
var settingName = regexp.MustCompile(`AUTHD_[A-Z0-9_]*[A-Z0-9]`)

func TestConfigurationDocHasARowForEverySetting(t *testing.T) {
	rows := documentedSettings(t, readDoc(t, configurationDoc))
	for _, s := range settings(&Config{}) {
		row, ok := rows[s.env]
		if !ok {
			t.Errorf("%s is in the settings table but has no row in %s", s.env, configurationDoc)
			continue
		}
		if s.def != "" && !machineDefaults[s.env] && !strings.Contains(row.def, "`"+s.def+"`") {
			t.Errorf("%s: %s gives the default as %q, the settings table as `%s`", s.env, configurationDoc, row.def, s.def)
		}
		if row.section != string(s.section) {
			t.Errorf("%s is under %q in %s, in section %q in the settings table", s.env, row.section, configurationDoc, s.section)
		}
	}
}

// The reference's headings with settings are the table's sections, in
// the table's order.
func TestConfigurationDocSectionsFollowTheTable(t *testing.T) {
	doc := readDoc(t, configurationDoc)
	withRows := map[string]bool{}
	for _, row := range documentedSettings(t, doc) {
		withRows[row.section] = true
	}
	var headings, want []string
	for _, line := range strings.Split(doc, "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok && withRows[h] {
			headings = append(headings, h)
		}
	}
	for _, s := range Sections() {
		want = append(want, string(s))
	}
	if !slices.Equal(headings, want) {
		t.Errorf("%s has sections %q, the settings table %q", configurationDoc, headings, want)
	}
}

func TestConfigurationDocNamesOnlyRealSettings(t *testing.T) {
	known := map[string]bool{}
	for _, s := range settings(&Config{}) {
		known[s.env] = true
	}
	for _, name := range settingName.FindAllString(readDoc(t, configurationDoc), -1) {
		_, isRetired := retired[name]
		if !known[name] && !strings.HasPrefix(name, "AUTHD_TEST") && !misspellings[name] && !isRetired {
			t.Errorf("%s names %s, which is not in the settings table", configurationDoc, name)
		}
	}
}

func readDoc(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return string(raw)
}

// docRow is a variable's row in the reference: its default cell and the
// "## " heading it is under.
type docRow struct{ def, section string }

// documentedSettings returns the row of each variable whose first cell is
// one variable name in backticks; a variable with two rows is an error.
func documentedSettings(t *testing.T, doc string) map[string]docRow {
	t.Helper()
	rows := map[string]docRow{}
	section := ""
	for _, line := range strings.Split(doc, "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			section = strings.TrimSpace(h)
		}
		cells := strings.Split(line, "|")
		if len(cells) < 4 || strings.TrimSpace(cells[0]) != "" {
			continue
		}
		name := strings.TrimSpace(cells[1])
		if !strings.HasPrefix(name, "`AUTHD_") || !strings.HasSuffix(name, "`") {
			continue
		}
		name = strings.Trim(name, "`")
		if _, dup := rows[name]; dup {
			t.Errorf("%s has two rows for %s", configurationDoc, name)
		}
		rows[name] = docRow{def: strings.TrimSpace(cells[2]), section: section}
	}
	return rows
}
