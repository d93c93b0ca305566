package pages_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// TestServeMedia: an uploaded image is served inline and a PDF as a
// download, each with the type read from its bytes, nosniff, a policy
// that runs nothing, its sanitised name and a year's cache; a name that
// is not a stored file's is a 404.
func TestServeMedia(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	ctx := context.Background()
	img := image.NewGray(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.White)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	pic, err := n.Media.Save(ctx, &b, `team "photo".png`, "The team")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := n.Media.Save(ctx, bytes.NewReader([]byte("%PDF-1.4\n%%EOF\n")), "report.png", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		url, typ, disposition string
	}{
		{pic.URL, "image/png", `inline; filename="team-photo.png"`},
		{doc.URL, "application/pdf", `attachment; filename="report.pdf"`},
	} {
		r := testrig.Do(t, http.MethodGet, tc.url, nil, nil)
		h := r.Header
		if r.Status != http.StatusOK || h.Get("Content-Type") != tc.typ || h.Get("Content-Disposition") != tc.disposition ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
			h.Get("Content-Security-Policy") != "default-src 'none'; sandbox" {
			t.Errorf("GET %s: %d %v", tc.url, r.Status, h)
		}
		again := testrig.Do(t, http.MethodGet, tc.url, nil, map[string]string{"If-None-Match": h.Get("ETag")})
		if again.Status != http.StatusNotModified {
			t.Errorf("GET %s again with its ETag: %d", tc.url, again.Status)
		}
	}
	for _, path := range []string{"/media/" + pic.ID + ".pdf", "/media/" + pic.ID, "/media/x.png", "/media/..%2fpollen.db"} {
		if r := testrig.Do(t, http.MethodGet, n.URL+path, nil, nil); r.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, r.Status)
		}
	}
}
