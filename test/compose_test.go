package test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// composeFile is the part of docker-compose.yml the checks below read.
type composeFile struct {
	Services map[string]struct {
		Profiles    []string          `yaml:"profiles"`
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

// docker cannot run in the test environment, so the compose file is
// checked as YAML: the replicas profile runs two authd on one PostgreSQL
// and one Redis with the same secrets and one key volume, after a key is
// written into it.
func TestComposeReplicasProfile(t *testing.T) {
	raw, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var f composeFile
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatalf("docker-compose.yml is not valid YAML of the expected shape: %v", err)
	}
	if _, ok := f.Services["redis"]; !ok {
		t.Fatal("no redis service")
	}
	keysInit := f.Services["keys-init"]
	if !slices.Contains(keysInit.Profiles, "replicas") || !slices.Contains(keysInit.Command, "generate") {
		t.Fatalf("keys-init = %+v, want a key generation in the replicas profile", keysInit)
	}
	first := f.Services["authd-1"]
	for _, name := range []string{"authd-1", "authd-2"} {
		s, ok := f.Services[name]
		if !ok || !slices.Contains(s.Profiles, "replicas") {
			t.Fatalf("%s missing or not in the replicas profile", name)
		}
		env := s.Environment
		if env["AUTHD_DB_DRIVER"] != "postgres" || !strings.Contains(env["AUTHD_DB_DSN"], "@postgres:") ||
			!strings.HasPrefix(env["AUTHD_REDIS_URL"], "redis://redis:") || env["AUTHD_JWT_KEY_DIR"] == "" {
			t.Errorf("%s environment %v: want postgres, the redis service and a key folder", name, env)
		}
		for _, k := range []string{"AUTHD_REFRESH_SECRET", "AUTHD_JWT_KEY_DIR", "AUTHD_JWT_ALG", "AUTHD_REDIS_URL", "AUTHD_DB_DSN"} {
			if env[k] != first.Environment[k] {
				t.Errorf("%s: %s differs between the replicas", name, k)
			}
		}
		if !slices.Equal(s.Volumes, keysInit.Volumes) || len(s.Volumes) != 1 {
			t.Errorf("%s volumes %v, want keys-init's one volume %v", name, s.Volumes, keysInit.Volumes)
		}
		for dep, cond := range map[string]string{"postgres": "service_healthy", "redis": "service_healthy", "keys-init": "service_completed_successfully"} {
			if s.DependsOn[dep].Condition != cond {
				t.Errorf("%s depends on %s with %q, want %q", name, dep, s.DependsOn[dep].Condition, cond)
			}
		}
	}
	volume := strings.SplitN(keysInit.Volumes[0], ":", 2)[0]
	if _, ok := f.Volumes[volume]; !ok {
		t.Errorf("volume %q is not declared", volume)
	}
}
