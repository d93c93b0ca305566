package convert_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/convert"
)

// TestRemoteTextFields: a remote name is plain text, kept as it is; a
// remote summary is HTML, read as text (tags stripped, unescaped once).
func TestRemoteTextFields(t *testing.T) {
	tests := []struct{ name, summary, wantTitle, wantSummary string }{
		{`&lt;img src=x onerror=alert(1)&gt;`, `&lt;img src=x onerror=alert(1)&gt;`,
			`&lt;img src=x onerror=alert(1)&gt;`, `<img src=x onerror=alert(1)>`},
		{`Fish & chips`, `<p>Fish &amp; chips</p><p>second</p>`, `Fish & chips`, `Fish & chips second`},
		{`a <b>b</b>`, `&amp;lt;b&amp;gt;`, `a <b>b</b>`, `&lt;b&gt;`},
	}
	for _, tt := range tests {
		body, _ := json.Marshal(map[string]any{"id": "https://e.example/a", "type": "Article", "name": tt.name, "summary": tt.summary, "content": "<p>x</p>"})
		o, err := ap.ParseObject(body)
		if err != nil {
			t.Fatal(err)
		}
		c, err := convert.ToCaseStudy(o)
		if err != nil {
			t.Fatal(err)
		}
		if c.Title != tt.wantTitle || c.Summary != tt.wantSummary {
			t.Errorf("name %q summary %q: title %q summary %q, want %q %q", tt.name, tt.summary, c.Title, c.Summary, tt.wantTitle, tt.wantSummary)
		}
	}
}

// TestRemoteTextCleaned: NUL, other control characters and invalid UTF-8
// in any field of a remote object are dropped or replaced before storing
// (PostgreSQL refuses NUL in text).
func TestRemoteTextCleaned(t *testing.T) {
	const dirty = "a\u0000b\u0007c\u009f"
	body, _ := json.Marshal(map[string]any{
		"id": "https://e.example/a", "type": "Article", "name": dirty, "summary": dirty, "content": "<p>" + dirty + "</p>",
		"source":           map[string]any{"content": dirty, "mediaType": "text/markdown"},
		"organisationType": dirty, "serviceArea": dirty, "region": dirty, "stage": dirty, "ownershipModel": dirty,
		"outcomes": []string{dirty}, "lessons": []string{dirty},
		"savings":    map[string]any{"amount": "1", "currency": "GBP", "period": dirty},
		"contact":    map[string]any{"name": dirty, "role": dirty},
		"attachment": []any{map[string]any{"type": "Document", "url": "https://e.example/d.pdf", "name": dirty}},
		"futureTerm": dirty,
	})
	body = []byte(strings.ReplaceAll(string(body), "c\u009f", "c\u009f\xff")) // an invalid byte too
	o, err := ap.ParseObject(body)
	if err != nil {
		t.Fatal(err)
	}
	c, err := convert.ToCaseStudy(o)
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.ValidString(c.Extra) || strings.ContainsRune(c.Extra, 0) || !json.Valid([]byte(c.Extra)) {
		t.Errorf("Extra = %q: not valid UTF-8 JSON without NUL", c.Extra)
	}
	fields := []string{c.Title, c.Summary, c.Content, c.Body, c.OrganisationType, c.ServiceArea, c.Region, c.Stage,
		c.OwnershipModel, c.SavingsPeriod, c.ContactName, c.ContactRole, c.Attachments[0].Name}
	fields = append(append(fields, c.Outcomes...), c.Lessons...)
	for i, f := range fields {
		if !utf8.ValidString(f) || strings.ContainsFunc(f, func(r rune) bool { return r < 0x20 && r != '\n' || r >= 0x7f && r < 0xa0 }) {
			t.Errorf("field %d = %q keeps a control character or invalid UTF-8", i, f)
		}
	}
	if c.Title != "abc\uFFFD" {
		t.Errorf("title = %q, want abc and U+FFFD", c.Title)
	}

	reply, _ := json.Marshal(map[string]any{"id": "https://e.example/r", "type": "Note", "attributedTo": "https://e.example/u",
		"inReplyTo": "https://n.example/case-studies/x", "summary": dirty, "content": "<p>" + dirty + "</p>"})
	ro, err := ap.ParseObject(reply)
	if err != nil {
		t.Fatal(err)
	}
	r, err := convert.ToNote(ro, 0)
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary != "abc" || r.Content != "<p>abc</p>" {
		t.Errorf("reply summary %q content %q", r.Summary, r.Content)
	}
}
