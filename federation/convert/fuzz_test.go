package convert_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/convert"
	"github.com/pollen-coop/pollen/internal/apperr"
)

// The seed corpus is in testdata/fuzz/FuzzToCaseStudy: every fixture
// body, a Pollen Article and hostile variants; the parser alone is fuzzed
// by FuzzParseActivity in package ap. Run with
//
//	go test ./federation/convert/ -run '^$' -fuzz FuzzToCaseStudy -fuzztime 60s

func FuzzToCaseStudy(f *testing.F) {
	f.Add([]byte(`{"id":"https://e.example/a","type":"Article","name":"<b>T</b>","content":"<img src=x onerror=alert(1)>","outcomes":{"@list":["a"]},"savings":{"amount":1.5,"currency":"GBP"}}`))
	f.Add([]byte(`{"id":"https://e.example/n","type":"Note","attributedTo":"https://e.example/u","inReplyTo":"https://p.example/case-studies/x","cc":"as:Public","content":"<p onclick=x>hi</p>","tag":[{"type":"Mention","href":"https://p.example/actors/org","name":"@org@p.example"},{"type":"Mention","href":"javascript:x"},{"type":"Hashtag","name":"#Ok"},{"type":"Hashtag","name":"#no-tag"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		o, err := ap.ParseObject(body)
		if err != nil {
			if !errors.Is(err, ap.ErrMalformed) && !errors.Is(err, ap.ErrTooLarge) {
				t.Fatalf("parser refusal of an unknown kind: %v", err)
			}
			return
		}
		fuzzCheckIRI(t, "id", o.ID, false)
		fuzzCheckConverted(t, o)
		// An activity's embedded objects go through the converters too.
		for _, r := range o.Activity().Objects {
			if r.Object != nil {
				fuzzCheckIRI(t, "embedded id", r.Object.ID, true)
				fuzzCheckConverted(t, *r.Object)
			}
		}
	})
}

// fuzzCheckRefusal wants a 4xx *apperr.Error.
func fuzzCheckRefusal(t *testing.T, err error) {
	t.Helper()
	var fe *apperr.Error
	if !errors.As(err, &fe) || fe.Kind.Status() < 400 || fe.Kind.Status() > 499 || fe.Message == "" {
		t.Fatalf("refusal is not a 4xx *apperr.Error with a reason: %v", err)
	}
}

func fuzzCheckIRI(t *testing.T, what, iri string, mayBeEmpty bool) {
	t.Helper()
	if iri == "" && mayBeEmpty {
		return
	}
	u, err := url.Parse(iri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		t.Fatalf("accepted %s %q that is not an absolute http(s) URL", what, iri)
	}
}

// fuzzCheckConverted runs both converters on o and checks what they give.
func fuzzCheckConverted(t *testing.T, o ap.Object) {
	t.Helper()
	if c, err := convert.ToCaseStudy(o); err == nil {
		fuzzCheckHTML(t, c.Content)
		if n := utf8.RuneCountInString(c.Title); n == 0 || n > 200 {
			t.Fatalf("title of %d characters", n)
		}
		if n := utf8.RuneCountInString(c.Summary); n > 500 {
			t.Fatalf("summary of %d characters", n)
		}
		for _, a := range c.Attachments {
			fuzzCheckIRI(t, "attachment url", a.URL, false)
		}
		if c.Extra != "" && !json.Valid([]byte(c.Extra)) {
			t.Fatalf("Extra is not JSON: %q", c.Extra)
		}
	} else {
		fuzzCheckRefusal(t, err)
	}
	if n, err := convert.ToNote(o, 0); err == nil {
		fuzzCheckHTML(t, n.Content)
		fuzzCheckIRI(t, "in reply to", n.InReplyTo, true)
		if len(n.Hashtags) > convert.MaxNoteHashtags || len(n.Mentions) > convert.MaxMentions {
			t.Fatalf("%d hashtags, %d mentions", len(n.Hashtags), len(n.Mentions))
		}
		for _, m := range n.Mentions {
			fuzzCheckIRI(t, "mention", m.IRI, false)
		}
		for _, h := range n.Hashtags {
			if !convert.ValidTag(h) {
				t.Fatalf("invalid hashtag %q", h)
			}
		}
	} else {
		fuzzCheckRefusal(t, err)
	}
}

// fuzzCheckHTML fails if s has a script element or an event attribute.
func fuzzCheckHTML(t *testing.T, s string) {
	t.Helper()
	if strings.Contains(strings.ToLower(s), "<script") {
		t.Fatalf("sanitised HTML has <script: %q", s)
	}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			if strings.EqualFold(string(name), "script") {
				t.Fatalf("sanitised HTML has a script element: %q", s)
			}
			for more {
				var key []byte
				key, _, more = z.TagAttr()
				if strings.HasPrefix(strings.ToLower(string(key)), "on") {
					t.Fatalf("sanitised HTML has an %s attribute: %q", key, s)
				}
			}
		}
	}
}
