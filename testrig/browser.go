package testrig

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// BrowserTimeout bounds everything one test does in the browser.
const BrowserTimeout = 90 * time.Second

// chromiumNames are the executables Browser looks for, in order.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome"}

// Browser starts a headless Chromium with a fresh profile and returns a
// chromedp context for one tab; the browser stops when the test ends. When
// no Chromium is installed it skips the test, or fails it when CI is set.
func Browser(t testing.TB) context.Context {
	t.Helper()
	path := findChromium()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("no Chromium found (looked for %v): CI must run the browser tests", chromiumNames)
		}
		t.Skipf("browser tests skipped: no Chromium found (looked for %v); install it, e.g. apt-get install chromium", chromiumNames)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tab, cancelTab := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	// The first run starts the browser and lives as long as its context, so
	// it takes no timeout; the context handed back does.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start Chromium at %s: %v", path, err)
	}
	ctx, cancelTimeout := context.WithTimeout(tab, BrowserTimeout)
	t.Cleanup(cancelTimeout)
	return ctx
}

func findChromium() string {
	for _, name := range chromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Load opens url in the tab of ctx and waits for the page's body.
func Load(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
}

// Click clicks the element sel and waits until another page has loaded.
func Click(t testing.TB, ctx context.Context, sel string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.leaving = true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(sel)); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	// The page being left may answer, or fail, while it goes: ask again
	// until the new one says it has loaded.
	for i := 0; ; i++ {
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.leaving && document.readyState === "complete"`))
		if err == nil && loaded {
			return
		}
		if i == 200 {
			t.Fatalf("no new page after clicking %s: %v", sel, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Expect evaluates a JavaScript expression on the page and compares it
// with want (numbers come back as float64); what names the check.
func Expect(t testing.TB, ctx context.Context, what, js string, want any) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[any](js))
	if err != nil {
		t.Fatalf("%s: evaluate %s: %v", what, js, err)
	}
	if got != want {
		t.Errorf("%s: got %#v, want %#v", what, got, want)
	}
}

// WaitFor evaluates the JavaScript expression js on the page until it is
// true, such as a module script having run; it fails the test if it is
// still false after a few seconds. what names the wait.
func WaitFor(t testing.TB, ctx context.Context, what, js string) {
	t.Helper()
	for i := 0; ; i++ {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if i == 200 {
			t.Fatalf("%s: %s still false: %v", what, js, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// FrontendStarted is true on a page once GOV.UK Frontend's JavaScript has
// run: the body carries the classes of js-enabled.js and the skip link
// has been initialised by init.js.
const FrontendStarted = `document.body.classList.contains("js-enabled") && document.body.classList.contains("govuk-frontend-supported") && document.querySelector(".govuk-skip-link").hasAttribute("data-govuk-skip-link-init")`

// FrontendScripts lists a page's scripts as src and type; every page has
// the same two, both served from /static.
const FrontendScripts = `[...document.scripts].map(s => s.getAttribute("src") + (s.type ? " " + s.type : "")).join(", ")`

// WantFrontendScripts is what FrontendScripts gives on every page.
const WantFrontendScripts = "/static/js-enabled.js, /static/init.js module"
