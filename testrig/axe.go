package testrig

import (
	"os"
	"testing"
)

// axePaths are where AxeCore looks for axe-core when POLLEN_AXE_CORE is
// not set: where .ci/run installs it, and a global npm install.
var axePaths = []string{"/root/.cache/pollen-axe/node_modules/axe-core/axe.min.js", "/usr/lib/node_modules/axe-core/axe.min.js"}

// AxeCore returns the source of axe-core (axe.min.js), the accessibility
// checker, to evaluate in a page: from the file POLLEN_AXE_CORE names, or
// where .ci/run installs it (npm's axe-core). When it is not found it
// skips the test, or fails it when CI is set.
func AxeCore(t testing.TB) string {
	t.Helper()
	paths := axePaths
	if p := os.Getenv("POLLEN_AXE_CORE"); p != "" {
		paths = []string{p}
	}
	for _, p := range paths {
		if src, err := os.ReadFile(p); err == nil {
			return string(src)
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("axe-core not found (looked at %v): CI must run the accessibility checks", paths)
	}
	t.Skipf("accessibility checks skipped: axe-core not found at %v; install it with npm install axe-core and set POLLEN_AXE_CORE to its axe.min.js", paths)
	return ""
}
