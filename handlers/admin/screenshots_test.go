package admin_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// screenshots, when set, is the folder checkAdminPage writes a picture of
// every page it checks to, named after what it checked (for docs/admin/):
//
//	go test ./handlers/admin -run 'InBrowser|Keyboard' -args -screenshots ../../docs/admin
var screenshots = flag.String("screenshots", "", "write a screenshot of every admin page checked into this folder (e.g. ../../docs/admin)")

// nonWord is what a screenshot's file name replaces with a dash.
var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

// screenshotName is the file name of the screenshot of what.
func screenshotName(what string) string {
	return strings.Trim(nonWord.ReplaceAllString(strings.ToLower(what), "-"), "-") + ".png"
}

// shootAdminPage writes the whole page, at a desktop width, as a PNG
// named after what into *screenshots, when it is set.
func shootAdminPage(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if *screenshots == "" {
		return
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1100, 800)); err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if rerr := chromedp.Do(ctx, chromedp.EmulateReset()); rerr != nil {
		t.Fatal(rerr)
	}
	if err != nil {
		t.Fatalf("screenshot of %s: %v", what, err)
	}
	path := filepath.Join(*screenshots, screenshotName(what))
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}

func TestScreenshotName(t *testing.T) {
	for _, tt := range []struct{ what, want string }{
		{"the dashboard", "the-dashboard.png"},
		{"the form with errors", "the-form-with-errors.png"},
		{"Follows: a pending request!", "follows-a-pending-request.png"},
	} {
		if got := screenshotName(tt.what); got != tt.want {
			t.Errorf("screenshotName(%q) = %q, want %q", tt.what, got, tt.want)
		}
	}
}
