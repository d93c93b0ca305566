package media

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"unicode"
)

// Kind is a type of file the store accepts, as read from its bytes.
type Kind string

// The kinds accepted.
const (
	JPEG Kind = "JPEG"
	PNG  Kind = "PNG"
	GIF  Kind = "GIF"
	WebP Kind = "WebP"
	PDF  Kind = "PDF"
)

// accepted is what the refusals say is accepted.
const accepted = "must be a JPEG, PNG, GIF or WebP image or a PDF"

// Sniff tells the kind of data from its first bytes, whatever name it
// came with; for anything else it returns a message saying why it is
// refused (an SVG image, which may carry scripts, is named as such).
func Sniff(data []byte) (Kind, string) {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return JPEG, ""
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, ""
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return GIF, ""
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return WebP, ""
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return PDF, ""
	case looksLikeSVG(data):
		return "", "is an SVG image, which is not accepted because it can carry scripts: save it as a PNG and upload that"
	}
	what := http.DetectContentType(data)
	what, _, _ = strings.Cut(what, ";")
	return "", accepted + ": this file's content is " + describe(what) + ", whatever its name says"
}

// looksLikeSVG reports whether data is XML or HTML naming an <svg>
// element near its start.
func looksLikeSVG(data []byte) bool {
	head := bytes.ToLower(data[:min(len(data), 4096)])
	head = bytes.TrimLeftFunc(head, func(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' })
	return bytes.HasPrefix(head, []byte("<")) && bytes.Contains(head, []byte("<svg"))
}

// describe names a detected content type for people.
func describe(mediaType string) string {
	switch {
	case strings.HasPrefix(mediaType, "text/html"):
		return "HTML"
	case strings.HasPrefix(mediaType, "text/"):
		return "text"
	case mediaType == "application/octet-stream":
		return "of an unknown kind"
	}
	return mediaType
}

// CleanFilename is the name a file uploaded as name is served under: its
// base name (of a Unix or Windows path), letters, digits, '-', '_' and
// '.' only (other characters become '-'), at most 80 characters before
// its extension, which is always ext whatever the name said; "file" when
// nothing is left.
func CleanFilename(name, ext string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.TrimSuffix(name, filepath.Ext(name))
	var b strings.Builder
	dash := false
	for _, r := range name {
		ok := r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.')
		switch {
		case ok:
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	base := strings.Trim(b.String(), "-.")
	if base == "" {
		base = "file"
	}
	return base + "." + ext
}
