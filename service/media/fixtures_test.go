package media_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"testing"
)

// picture is a small image with a gradient, so that each pixel differs.
func picture(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255})
		}
	}
	return img
}

// pngWith is a PNG of w×h pixels with a tEXt chunk holding text before
// its image data.
func pngWith(t testing.TB, w, h int, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, picture(w, h)); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	const afterIHDR = 8 + 25
	return append(append(append([]byte{}, data[:afterIHDR]...), chunk("tEXt", []byte("Comment\x00"+text))...), data[afterIHDR:]...)
}

// chunk is a PNG chunk with its CRC.
func chunk(typ string, body []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	out = append(out, typ...)
	out = append(out, body...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), body...)))
}

// pngClaiming is a 1×1 PNG whose header claims w×h pixels (a
// decompression bomb's header, with a valid CRC).
func pngClaiming(t testing.TB, w, h int) []byte {
	t.Helper()
	data := pngWith(t, 1, 1, "")
	ihdr := append([]byte{}, data[16:29]...)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	out := append([]byte{}, data[:8]...)
	out = append(out, chunk("IHDR", ihdr)...)
	return append(out, data[33:]...)
}

// jpegWith is a JPEG of w×h pixels with an EXIF segment (orientation o,
// and text where GPS data would be) after its SOI.
func jpegWith(t testing.TB, w, h, o int, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, picture(w, h), &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	tiff = binary.BigEndian.AppendUint16(tiff, 1)
	tiff = append(tiff, 0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0, byte(o), 0, 0)
	tiff = append(tiff, 0, 0, 0, 0)
	tiff = append(tiff, text...)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := binary.BigEndian.AppendUint16([]byte{0xff, 0xe1}, uint16(len(seg)+2))
	app1 = append(app1, seg...)
	data := b.Bytes()
	return append(append(append([]byte{}, data[:2]...), app1...), data[2:]...)
}

// gifWith is a GIF of w×h pixels with a comment extension.
func gifWith(t testing.TB, w, h int, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, picture(w, h), nil); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	// The comment goes before the image descriptor (0x2c) of the frame.
	i := bytes.IndexByte(data[13+3*256:], 0x2c) + 13 + 3*256
	comment := append([]byte{0x21, 0xfe, byte(len(text))}, text...)
	comment = append(comment, 0)
	return append(append(append([]byte{}, data[:i]...), comment...), data[i:]...)
}

// pdf is a minimal PDF padded to n bytes at least.
func pdf(n int) []byte {
	b := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")
	for len(b) < n {
		b = append(b, "% padding\n"...)
	}
	return append(b, "%%EOF\n"...)
}

// webpFile is a small lossy WebP from golang.org/x/image's test data.
func webpFile(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/gradient.webp")
	if err != nil {
		t.Fatal(err)
	}
	return data
}
