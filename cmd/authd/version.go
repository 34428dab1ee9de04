package main

import (
	"runtime/debug"
	"strings"
)

// version, when set at build time (-ldflags "-X main.version=…"), is
// printed instead of what the build info says.
var version = ""

func versionString() string {
	if version != "" {
		return version
	}
	info, _ := debug.ReadBuildInfo()
	return describeBuild(info)
}

// describeBuild says which authd this is: the main module's version
// (a tag when built with go install module@version), then the VCS
// revision, its commit time and whether the tree had local changes, when
// the build recorded them. A build from a checkout has no module version,
// so the short revision stands in for it; "(devel)" only when nothing at
// all is known.
func describeBuild(info *debug.BuildInfo) string {
	if info == nil {
		return "(devel)"
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	rev, at, modified := settings["vcs.revision"], settings["vcs.time"], settings["vcs.modified"] == "true"
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "(devel)"
		if rev != "" {
			v = rev[:min(12, len(rev))]
		}
	}
	var details []string
	if rev != "" {
		details = append(details, "revision "+rev)
	}
	if at != "" {
		details = append(details, at)
	}
	if modified {
		details = append(details, "modified")
	}
	if len(details) == 0 {
		return v
	}
	return v + " (" + strings.Join(details, ", ") + ")"
}
