package media_test

import (
	"bytes"
	"image"
	"testing"

	"github.com/pollen-coop/pollen/service/media"
)

// FuzzSniffReencode: whatever bytes come, sniffing and re-encoding
// neither panic nor keep a picture beyond the bounds, and what they
// keep is an image of the kind it claims, without the bytes it came
// with.
func FuzzSniffReencode(f *testing.F) {
	f.Add(pngWith(f, 4, 3, "GPS"))
	f.Add(jpegWith(f, 5, 7, 8, "GPS"))
	f.Add(gifWith(f, 3, 3, "GPS"))
	f.Add(webpFile(f))
	f.Add(pngClaiming(f, 20_000, 3))
	f.Add(pdf(10))
	f.Add([]byte(`<svg><script>alert(1)</script></svg>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		kind, msg := media.Sniff(data)
		if (kind == "") == (msg == "") {
			t.Fatalf("Sniff = %q, %q: want a kind or a reason", kind, msg)
		}
		if kind == "" || kind == media.PDF {
			return
		}
		img, err := media.Reencode(kind, data)
		if err != nil {
			return
		}
		if img.Width > media.MaxSide || img.Height > media.MaxSide || int64(img.Width)*int64(img.Height) > media.MaxPixels {
			t.Fatalf("kept a picture of %d×%d pixels", img.Width, img.Height)
		}
		out, format, err := image.Decode(bytes.NewReader(img.Data))
		if err != nil || "image/"+format != img.MediaType || out.Bounds().Dx() != img.Width {
			t.Fatalf("re-encoded %s decodes as %s: %v", img.MediaType, format, err)
		}
	})
}
