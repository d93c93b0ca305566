package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"
)

// Encoded is a file ready to be stored: its bytes, its type and
// extension, and an image's size in pixels.
type Encoded struct {
	Data          []byte
	MediaType     string
	Ext           string
	Width, Height int
}

// sum is the SHA-256 of the file's bytes, in hex: its id.
func (p Encoded) sum() string {
	h := sha256.Sum256(p.Data)
	return hex.EncodeToString(h[:])
}

func (p Encoded) isImage() bool { return p.MediaType != "application/pdf" }

// decoders read each kind of image: its size alone, then the whole
// first frame.
var decoders = map[Kind]struct {
	config func([]byte) (image.Config, error)
	decode func([]byte) (image.Image, error)
}{
	JPEG: {func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) },
		func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }},
	PNG: {func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) },
		func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }},
	GIF: {func(b []byte) (image.Config, error) { return gif.DecodeConfig(bytes.NewReader(b)) },
		func(b []byte) (image.Image, error) { return gif.Decode(bytes.NewReader(b)) }},
	WebP: {func(b []byte) (image.Config, error) { return webp.DecodeConfig(bytes.NewReader(b)) },
		func(b []byte) (image.Image, error) { return webp.Decode(bytes.NewReader(b)) }},
}

// Reencode decodes an image of the kind Sniff told, after checking its
// size in pixels against MaxSide and MaxPixels (so that a decompression
// bomb is refused before any pixel is decoded), and encodes its pixels
// again, leaving every other part of the file behind: EXIF (with GPS),
// XMP, ICC profiles, comments, text chunks. A JPEG stays a JPEG (quality
// 90, turned upright as its EXIF orientation said), a PNG a PNG, a GIF a
// GIF of its first frame; a WebP becomes a PNG (Go has no WebP encoder).
// It returns an Unprocessable *apperr.Error for an image too large in
// pixels, and the decoder's error for one it cannot read.
func Reencode(kind Kind, data []byte) (Encoded, error) {
	dec, ok := decoders[kind]
	if !ok {
		return Encoded{}, fmt.Errorf("media: %q is not an image kind", kind)
	}
	cfg, err := dec.config(data)
	if err != nil {
		return Encoded{}, err
	}
	if msg := checkPixels(cfg.Width, cfg.Height); msg != "" {
		return Encoded{}, invalid("file", msg)
	}
	img, err := dec.decode(data)
	if err != nil {
		return Encoded{}, err
	}
	b := img.Bounds()
	if msg := checkPixels(b.Dx(), b.Dy()); msg != "" || b.Empty() {
		return Encoded{}, fmt.Errorf("media: decoded image of %d×%d pixels", b.Dx(), b.Dy())
	}
	var out bytes.Buffer
	p := Encoded{}
	switch kind {
	case JPEG:
		img = upright(img, orientation(data))
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: 90})
		p.MediaType, p.Ext = "image/jpeg", "jpg"
	case GIF:
		err = gif.Encode(&out, img, nil)
		p.MediaType, p.Ext = "image/gif", "gif"
	default:
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, img)
		p.MediaType, p.Ext = "image/png", "png"
	}
	if err != nil {
		return Encoded{}, fmt.Errorf("media: encode %s: %w", kind, err)
	}
	b = img.Bounds()
	p.Data, p.Width, p.Height = out.Bytes(), b.Dx(), b.Dy()
	return p, nil
}

// checkPixels says what is wrong with an image of w×h pixels, or "".
func checkPixels(w, h int) string {
	if w > MaxSide || h > MaxSide || int64(w)*int64(h) > MaxPixels {
		return fmt.Sprintf("is an image of %d × %d pixels: the most is %d pixels on a side and %d million in all",
			w, h, MaxSide, MaxPixels/1_000_000)
	}
	if w <= 0 || h <= 0 {
		return "is an image with no pixels"
	}
	return ""
}
