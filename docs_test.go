package authd

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// configurationDoc is the configuration reference that the settings table
// is checked against, so that neither changes without the other.
const configurationDoc = "docs/configuration.md"

// machineDefaults are settings whose default depends on the machine, so
// the reference describes it in words instead of showing the value.
var machineDefaults = map[string]bool{"AUTHD_DB_MAX_CONNS": true, "AUTHD_HASH_QUEUE": true}

// settingName matches a variable name; a bare "AUTHD_" prefix is not one.
var settingName = regexp.MustCompile(`AUTHD_[A-Z0-9_]*[A-Z0-9]`)

func TestConfigurationDocHasARowForEverySetting(t *testing.T) {
	rows := documentedSettings(t, readDoc(t, configurationDoc))
	for _, s := range settings(&Config{}) {
		def, ok := rows[s.env]
		if !ok {
			t.Errorf("%s is in the settings table but has no row in %s", s.env, configurationDoc)
			continue
		}
		if s.def != "" && !machineDefaults[s.env] && !strings.Contains(def, "`"+s.def+"`") {
			t.Errorf("%s: %s gives the default as %q, the settings table as `%s`", s.env, configurationDoc, def, s.def)
		}
	}
}

func TestConfigurationDocNamesOnlyRealSettings(t *testing.T) {
	known := map[string]bool{}
	for _, s := range settings(&Config{}) {
		known[s.env] = true
	}
	for _, name := range settingName.FindAllString(readDoc(t, configurationDoc), -1) {
		if !known[name] && !strings.HasPrefix(name, "AUTHD_TEST_") {
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

// documentedSettings returns the default cell of each table row whose
// first cell is one variable name in backticks; a variable with two rows
// is an error.
func documentedSettings(t *testing.T, doc string) map[string]string {
	t.Helper()
	rows := map[string]string{}
	for _, line := range strings.Split(doc, "\n") {
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
		rows[name] = strings.TrimSpace(cells[2])
	}
	return rows
}
