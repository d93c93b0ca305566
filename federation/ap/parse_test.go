package ap_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation/ap"
)

// TestParseShapes covers single-or-array and IRI-or-object variants.
func TestParseShapes(t *testing.T) {
	a, err := ap.ParseActivity([]byte(`{"@context":{"@vocab":"https://www.w3.org/ns/activitystreams#"},
	"@id":"https://e.example/1","@type":["as:Like","https://e.example/ns#Extra"],"actor":["https://e.example/u",{"id":"https://e.example/v"}],
	"object":[{"id":"https://x.example/o","type":"Note"},"https://x.example/p"],"to":"Public","cc":[null,"as:Public"],
	"published":"2026-01-02 03:04:05","target":"https://x.example/c","unknown":{"deep":[1,2]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != "https://e.example/1" || a.Type != "Like" || len(a.Types) != 2 || a.Actor != "https://e.example/u" ||
		len(a.Objects) != 2 || a.Object.Type() != "Note" || a.Objects[1].IRI != "https://x.example/p" ||
		!reflect.DeepEqual(a.To, []string{ap.PublicIRI}) || !reflect.DeepEqual(a.Cc, []string{ap.PublicIRI}) ||
		!a.Published.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) || a.Target.IRI != "https://x.example/c" ||
		string(a.Extra["unknown"]) != `{"deep":[1,2]}` {
		t.Errorf("activity = %+v", a)
	}
	for _, date := range []string{"2026-01-02T03:04:05Z", "2026-01-02T03:04:05.000Z", "2026-01-02T04:04:05+01:00",
		"2026-01-02T04:04:05+0100", "2026-01-02T03:04:05", "Fri, 02 Jan 2026 03:04:05 GMT"} {
		o, err := ap.ParseObject([]byte(`{"id":"https://e.example/n","type":"Note","published":"` + date + `"}`))
		if err != nil || !o.Published.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) {
			t.Errorf("published %q = %v, %v", date, o.Published, err)
		}
	}
	o, err := ap.ParseObject([]byte(`{"id":"https://e.example/n","type":"Note","url":{"type":"Link","href":"https://e.example/@n"},
	"source":"plain","attachment":"https://e.example/f.pdf","tag":"https://e.example/tags/x","icon":[{"url":"https://e.example/i.png"}],
	"published":"not a date","content":42}`))
	if err != nil || o.URL != "https://e.example/@n" || o.Source == nil || o.Source.Content != "plain" ||
		len(o.Attachment) != 1 || len(o.Tag) != 1 || o.Icon == nil || !o.Published.IsZero() || o.Content != "" {
		t.Errorf("object = %+v, %v", o, err)
	}
}

func TestParseRefuses(t *testing.T) {
	deep := strings.Repeat(`{"a":`, ap.MaxActivityDepth+1) + "1" + strings.Repeat("}", ap.MaxActivityDepth+1)
	big := `{"id":"https://e.example/1","type":"Note","content":"` + strings.Repeat("x", ap.MaxActivitySize) + `"}`
	cases := []struct {
		name, body string
		kind       error
		reason     string
	}{
		{"not JSON", `{"id":`, ap.ErrMalformed, "not JSON"},
		{"empty", ``, ap.ErrMalformed, "not JSON"},
		{"array", `[{"id":"https://e.example/1","type":"Note"}]`, ap.ErrMalformed, "not a JSON object"},
		{"string", `"https://e.example/1"`, ap.ErrMalformed, "not a JSON object"},
		{"no id", `{"type":"Note"}`, ap.ErrMalformed, "no id"},
		{"no type", `{"id":"https://e.example/1"}`, ap.ErrMalformed, "no type"},
		{"relative id", `{"id":"/notes/1","type":"Note"}`, ap.ErrMalformed, "absolute"},
		{"urn id", `{"id":"urn:uuid:1","type":"Note"}`, ap.ErrMalformed, "absolute"},
		{"javascript id", `{"id":"javascript://e.example/%0aalert(1)","type":"Note"}`, ap.ErrMalformed, "absolute"},
		{"embedded bad id", `{"id":"https://e.example/1","type":"Create","object":{"id":"ftp://e.example/2","type":"Note"}}`, ap.ErrMalformed, "absolute"},
		{"id not a string", `{"id":{"x":1},"type":"Note"}`, ap.ErrMalformed, "no id"},
		{"too deep", deep, ap.ErrMalformed, "nested"},
		{"too big", big, ap.ErrTooLarge, "larger"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ap.ParseActivity([]byte(tc.body))
			if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("err = %v, want %v %q", err, tc.kind, tc.reason)
			}
		})
	}
}

// TestParseEmbeddedLimit checks that only the first 64 embedded objects
// are read, so that a crafted document cannot make parsing slow.
func TestParseEmbeddedLimit(t *testing.T) {
	obj := `{"id":"https://e.example/o","type":"Note"}`
	body := `{"id":"https://e.example/1","type":"Create","object":[` + strings.Repeat(obj+",", 99) + obj + `,"https://e.example/iri"]}`
	a, err := ap.ParseActivity([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Objects) != 65 || a.Objects[63].Object == nil || a.Objects[64].IRI != "https://e.example/iri" {
		t.Errorf("%d objects read", len(a.Objects))
	}
}
