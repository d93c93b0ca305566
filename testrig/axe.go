package testrig

import (
	"context"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
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

// CheckAccessible runs axe-core (see AxeCore) on the page open in ctx,
// with the WCAG 2.2 A and AA rules and axe's best practices, and fails the
// test for each violation, naming what (the page) and the elements.
func CheckAccessible(t testing.TB, ctx context.Context, what string) {
	t.Helper()
	axe := AxeCore(t)
	run := `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})
  .then(r => r.violations.map(v => v.id + " (" + v.impact + "): " + v.nodes.map(n => n.target.join(" ")).join(", ")))`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](axe)); err != nil {
		t.Fatalf("%s: load axe-core: %v", what, err)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: run axe-core: %v", what, err)
	}
	for _, v := range violations {
		t.Errorf("%s: axe-core: %s", what, v)
	}
}
