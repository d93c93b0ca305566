package admin_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestUploadInBrowser uploads, in headless Chromium without script, an
// SVG (refused, explained in the error summary and beside the field,
// what was typed kept) and then a PNG with its alt text, and publishes:
// the image is listed on the form and shown on the public page with its
// alt text. axe-core checks the form in both states.
func TestUploadInBrowser(t *testing.T) {
	ctx := testrig.Browser(t)
	n := testrig.StartNode(t, testrig.Options{})
	addUser(t, n, "asha@example.org", access.RoleEditor)
	dir := t.TempDir()
	svg, img := filepath.Join(dir, "logo.svg"), filepath.Join(dir, "staff.png")
	if err := os.WriteFile(svg, []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(img, pngOf(t, 60, 40, 0), 0o600); err != nil {
		t.Fatal(err)
	}

	testrig.Load(t, ctx, n.URL+"/sign-in?next=/admin/case-studies/new")
	typeInto(t, ctx, "#email", "asha@example.org")
	typeInto(t, ctx, "#password", password)
	testrig.Click(t, ctx, "button[type=submit]")
	testrig.Expect(t, ctx, "the new form", `location.pathname`, "/admin/case-studies/new")
	typeInto(t, ctx, "#title", "Photos from the branches")
	typeInto(t, ctx, "#summary", "How a library mutual kept five branches open.")
	typeInto(t, ctx, "#body", "Pictures of each branch.")
	typeInto(t, ctx, "#alt", "The logo")
	upload(t, ctx, svg)
	testrig.Click(t, ctx, "button[value=publish]")
	testrig.Expect(t, ctx, "error summary", `[...document.querySelectorAll(".govuk-error-summary a")].map(a => a.getAttribute("href") + " " + a.textContent).join("; ")`,
		"#file The selected file is an SVG image, which is not accepted because it can carry scripts: save it as a PNG and upload that")
	testrig.Expect(t, ctx, "inline error", `document.querySelector("#file").getAttribute("aria-describedby")`, "file-hint file-error")
	testrig.Expect(t, ctx, "typed text kept", `[document.querySelector("#title").value, document.querySelector("#alt").value].join(" | ")`,
		"Photos from the branches | The logo")
	checkAdminPage(t, ctx, "the form with an upload error")

	typeInto(t, ctx, "#alt", "Library staff outside the Central branch")
	upload(t, ctx, img)
	testrig.Click(t, ctx, "button[value=publish]")
	testrig.Expect(t, ctx, "published", `document.querySelector("#saved").textContent`, "Published. View it on the public page")
	testrig.Expect(t, ctx, "listed", `document.querySelector("#attachments a").textContent`, "Library staff outside the Central branch")
	checkAdminPage(t, ctx, "the form with an attachment")
	testrig.Click(t, ctx, "#saved a")
	// The page may be shown before its image has loaded.
	testrig.WaitFor(t, ctx, "the image on the public page loaded",
		`(() => { const i = document.querySelector("figure img"); return !!i && i.complete })()`)
	testrig.Expect(t, ctx, "the image on the public page",
		`(() => { const i = document.querySelector("figure img"); return i.alt + " " + i.complete + " " + i.naturalWidth })()`,
		"Library staff outside the Central branch true 60")
}

// upload chooses path in the form's file input.
func upload(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles("#file", []string{path})); err != nil {
		t.Fatalf("choose %s: %v", path, err)
	}
}
