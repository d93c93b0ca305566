package media_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service/media"
	"github.com/pollen-coop/pollen/testrig"
)

// newStore is a media store over a fresh database of db's kind, with
// limits of 64 KB for images and 128 KB for PDFs.
func newStore(t *testing.T, db testrig.DB) (*media.Store, config.Config) {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.MediaMaxImageBytes, cfg.MediaMaxPDFBytes = 64<<10, 128<<10
	return media.New(cfg, testrig.Store(t, db).Media), cfg
}

// TestSaveKeepsWhatIsAccepted: each accepted kind is stored under the
// SHA-256 of its bytes with the type its bytes say, an image without any
// of its metadata, and it opens again.
func TestSaveKeepsWhatIsAccepted(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		s, cfg := newStore(t, db)
		ctx := context.Background()
		for _, tc := range []struct {
			name, filename string
			data           []byte
			wantType       string
			wantName       string
			w, h           int
		}{
			{"png", "Team photo (2024).PNG", pngWith(t, 30, 20, "GPS 51.5N 0.1W"), "image/png", "Team-photo-2024.png", 30, 20},
			{"jpeg turned upright", `C:\Users\me\IMG_0001.jpeg`, jpegWith(t, 40, 20, 6, "GPS 51.5N 0.1W"), "image/jpeg", "IMG_0001.jpg", 20, 40},
			{"gif", "../../etc/anim.gif", gifWith(t, 16, 8, "GPS 51.5N 0.1W"), "image/gif", "anim.gif", 16, 8},
			{"webp becomes png", "gradient.webp", webpFile(t), "image/png", "gradient.png", 0, 0},
			{"pdf named otherwise", "report.exe", pdf(2000), "application/pdf", "report.pdf", 0, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				m, err := s.Save(ctx, bytes.NewReader(tc.data), tc.filename, "What it shows")
				if err != nil {
					t.Fatalf("Save: %v", err)
				}
				if m.MediaType != tc.wantType || m.Filename != tc.wantName || len(m.ID) != 64 {
					t.Errorf("saved %+v, want type %s named %s", m, tc.wantType, tc.wantName)
				}
				if tc.w != 0 && (m.Width != tc.w || m.Height != tc.h) {
					t.Errorf("size %d×%d, want %d×%d", m.Width, m.Height, tc.w, tc.h)
				}
				if m.URL != cfg.URL("/media/"+m.Name()) || m.Alt != "What it shows" {
					t.Errorf("URL %s alt %q", m.URL, m.Alt)
				}
				got, f, err := s.Open(ctx, m.Name())
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				stored, _ := io.ReadAll(f)
				_ = f.Close()
				if got.ID != m.ID || int64(len(stored)) != m.Size {
					t.Errorf("opened %+v with %d bytes", got, len(stored))
				}
				for _, leak := range []string{"GPS", "Exif", "Comment"} {
					if bytes.Contains(stored, []byte(leak)) {
						t.Errorf("the stored file still holds %q", leak)
					}
				}
				if m.MediaType == "application/pdf" {
					if !bytes.Equal(stored, tc.data) {
						t.Error("a PDF is not kept as it came")
					}
					return
				}
				img, format, err := image.Decode(bytes.NewReader(stored))
				if err != nil || "image/"+format != m.MediaType || img.Bounds().Dx() != m.Width {
					t.Errorf("the stored image decodes as %s (%v)", format, err)
				}
			})
		}
	})
}

// TestSaveRefuses: each bad upload is refused with a message on the
// field it concerns, and nothing is written.
func TestSaveRefuses(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		s, cfg := newStore(t, db)
		for _, tc := range []struct {
			name       string
			data       []byte
			alt        string
			field, msg string
		}{
			{"empty", nil, "x", "file", "is empty"},
			{"script named png", []byte("#!/bin/sh\nrm -rf /\n"), "x", "file", "content is text, whatever its name says"},
			{"html", []byte("<html><script>alert(1)</script></html>"), "x", "file", "content is HTML"},
			{"svg with script", []byte(`<?xml version="1.0"?>` + "\n" + `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "x", "file", "is an SVG image"},
			{"executable", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), "x", "file", "must be a JPEG, PNG, GIF or WebP image or a PDF"},
			{"image over its limit", pngWith(t, 10, 10, strings.Repeat("x", 70<<10)), "x", "file", "is an image larger than 64 KB"},
			{"pdf over its limit", pdf(130 << 10), "", "file", "is a PDF larger than 128 KB"},
			{"pdf over every limit", pdf(200 << 10), "", "file", "is a PDF larger than 128 KB"},
			{"image over every limit", pngWith(t, 10, 10, strings.Repeat("x", 200<<10)), "x", "file", "is an image larger than 64 KB"},
			{"text over every limit", bytes.Repeat([]byte("text "), 40<<10), "", "file", "is larger than 128 KB, the most a file may be"},
			{"decompression bomb", pngClaiming(t, 50_000, 50_000), "x", "file", "is an image of 50000 × 50000 pixels"},
			{"too many pixels", pngClaiming(t, 9000, 9000), "x", "file", "40 million in all"},
			{"damaged", pngWith(t, 10, 10, "")[:60], "x", "file", "could not be read as a PNG image"},
			{"image without alt", pngWith(t, 10, 10, ""), "  ", "alt", "is required for an image"},
			{"alt too long", pngWith(t, 10, 10, ""), strings.Repeat("a", media.MaxAltChars+1), "alt", "at most 1500 characters"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.Save(context.Background(), bytes.NewReader(tc.data), "upload.png", tc.alt)
				var e *apperr.Error
				if !errors.As(err, &e) || e.Kind != apperr.Unprocessable || !strings.Contains(e.Fields[tc.field], tc.msg) {
					t.Fatalf("Save = %v (fields %v), want %s %q", err, fieldsOf(err), tc.field, tc.msg)
				}
			})
		}
		if entries, _ := os.ReadDir(cfg.MediaPath()); len(entries) != 0 {
			t.Errorf("the media folder holds %d entries after refusals", len(entries))
		}
	})
}

func fieldsOf(err error) map[string]string {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// TestSaveSameBytesOnce: the same bytes saved twice are one file, with
// the first upload's name; each save keeps its own alt text.
func TestSaveSameBytesOnce(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		s, cfg := newStore(t, db)
		ctx := context.Background()
		data := pngWith(t, 8, 8, "")
		a, err := s.Save(ctx, bytes.NewReader(data), "first.png", "First")
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.Save(ctx, bytes.NewReader(data), "second.png", "Second")
		if err != nil {
			t.Fatal(err)
		}
		if a.ID != b.ID || b.Filename != "first.png" || b.Alt != "Second" {
			t.Errorf("second save %+v, first %+v", b, a)
		}
		files, _ := filepath.Glob(filepath.Join(cfg.MediaPath(), "*", "*"))
		if len(files) != 1 {
			t.Errorf("files %v, want one", files)
		}
	})
}

// TestOpenUnknown: a name that is not a stored file's is not found,
// whatever it looks like.
func TestOpenUnknown(t *testing.T) {
	s, _ := newStore(t, testrig.SQLite(t))
	ctx := context.Background()
	m, err := s.Save(ctx, bytes.NewReader(pdf(100)), "a.pdf", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{
		m.ID + ".png", m.ID, strings.Repeat("0", 64) + ".pdf", "../" + m.Name(), m.Name() + "/", "x.pdf", "",
	} {
		_, f, err := s.Open(ctx, name)
		var e *apperr.Error
		if !errors.As(err, &e) || e.Kind != apperr.NotFound {
			if f != nil {
				_ = f.Close()
			}
			t.Errorf("Open(%q) = %v, want not found", name, err)
		}
	}
}

// TestCleanFilename: only a safe base name is kept, with the extension
// of the stored kind.
func TestCleanFilename(t *testing.T) {
	for _, tc := range []struct{ in, ext, want string }{
		{"report.pdf", "pdf", "report.pdf"},
		{`..\..\windows\evil.png`, "png", "evil.png"},
		{"/etc/passwd", "pdf", "passwd.pdf"},
		{`"quoted"; filename=x.html`, "png", "quoted-filename-x.png"},
		{"Café déjà vu.jpeg", "jpg", "Caf-d-j-vu.jpg"},
		{"...", "gif", "file.gif"},
		{"", "pdf", "file.pdf"},
		{"\r\nSet-Cookie: a=b.png", "png", "Set-Cookie-a-b.png"},
		{strings.Repeat("a", 300) + ".pdf", "pdf", strings.Repeat("a", 80) + ".pdf"},
	} {
		if got := media.CleanFilename(tc.in, tc.ext); got != tc.want {
			t.Errorf("CleanFilename(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
