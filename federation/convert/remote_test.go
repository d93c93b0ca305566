package convert_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/convert"
	"github.com/pollen-coop/pollen/internal/apperr"
)

// TestRemotePlainObjects reads case studies from servers that know nothing
// of Pollen.
func TestRemotePlainObjects(t *testing.T) {
	long := strings.Repeat("word ", 200)
	cases := []struct {
		name, body          string
		title, summary, url string
		tags                []string
	}{
		{
			name:  "mastodon note",
			body:  `{"id":"https://m.example/users/a/statuses/1","type":"Note","attributedTo":"https://m.example/users/a","content":"<p>First line <b>here</b></p><p>Second <a href=\"https://m.example/tags/libraries\" class=\"mention hashtag\" rel=\"tag\">#<span>Libraries</span></a></p>","url":"https://m.example/@a/1","published":"2026-01-02T03:04:05Z","to":["https://www.w3.org/ns/activitystreams#Public"],"tag":[{"type":"Hashtag","name":"#Libraries","href":"https://m.example/tags/libraries"},{"type":"Mention","name":"@b@x","href":"https://x/b"}]}`,
			title: "First line here", summary: "First line here Second #Libraries", url: "https://m.example/@a/1",
			tags: []string{"Libraries"},
		},
		{
			name:  "article with name and summary map",
			body:  `{"id":"https://w.example/?p=1","type":"Article","name":"A <em>title</em>","summaryMap":{"de":"Zusammenfassung"},"contentMap":{"de":"<p>Inhalt</p>"}}`,
			title: "A <em>title</em>", summary: "Zusammenfassung", url: "https://w.example/?p=1",
		},
		{
			name:  "long note",
			body:  `{"id":"https://m.example/n/2","type":"Note","content":"` + long + `"}`,
			title: strings.Repeat("word ", 39) + "word…", summary: strings.Repeat("word ", 99) + "word…", url: "https://m.example/n/2",
		},
		{
			name:  "empty page",
			body:  `{"id":"https://l.example/post/1","type":"Page","url":"javascript:alert(1)"}`,
			title: "Untitled", url: "https://l.example/post/1",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o, err := ap.ParseObject([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			c, err := convert.ToCaseStudy(o)
			if err != nil {
				t.Fatal(err)
			}
			if c.Title != tc.title || c.Summary != tc.summary || c.URL != tc.url {
				t.Errorf("title %q, summary %q, url %q", c.Title, c.Summary, c.URL)
			}
			if !reflect.DeepEqual([]string(c.Tags), tc.tags) {
				t.Errorf("tags = %q, want %q", c.Tags, tc.tags)
			}
		})
	}
}

// TestRemoteSanitises checks that remote HTML and text are cleaned.
func TestRemoteSanitises(t *testing.T) {
	body := `{"id":"https://e.example/a","type":"Article","name":"<script>alert(1)</script>Title",
	"summary":"<b onclick=\"x()\">Sum</b>mary","content":"<p onmouseover=\"x()\">Hi<script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">l</a></p>",
	"savings":{"amount":"12,5","currency":"GBP"},"contact":{"name":"<i>Ann</i>","email":"not an email"},
	"tag":[{"type":"Hashtag","name":"#bad tag"},{"type":"Hashtag","name":"#ok"}],
	"attachment":[{"type":"Document","url":"javascript:alert(1)"},{"type":"Image","url":"https://e.example/i.png"}]}`
	o, err := ap.ParseObject([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	c, err := convert.ToCaseStudy(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "onclick", "onmouseover", "onerror", "javascript:"} {
		if strings.Contains(strings.ToLower(c.Content), bad) {
			t.Errorf("content keeps %q: %s", bad, c.Content)
		}
	}
	// name and contact are plain text: kept as typed, escaped where shown.
	if c.Title != "<script>alert(1)</script>Title" || c.Summary != "Summary" || c.ContactName != "<i>Ann</i>" || c.ContactEmail != "" {
		t.Errorf("title %q summary %q contact %q %q", c.Title, c.Summary, c.ContactName, c.ContactEmail)
	}
	if c.SavingsAmount != "" || !reflect.DeepEqual([]string(c.Tags), []string{"ok"}) {
		t.Errorf("savings %q tags %q", c.SavingsAmount, c.Tags)
	}
	if len(c.Attachments) != 1 || c.Attachments[0].MediaType != "image/*" {
		t.Errorf("attachments = %+v", c.Attachments)
	}
}

func TestRemoteRefusesNonCaseStudies(t *testing.T) {
	for _, body := range []string{
		`{"id":"https://e.example/p","type":"Person"}`,
		`{"id":"https://e.example/t","type":"Tombstone","formerType":"Article"}`,
	} {
		o, err := ap.ParseObject([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		_, err = convert.ToCaseStudy(o)
		var fe *apperr.Error
		if !errors.As(err, &fe) || fe.Kind != apperr.Unprocessable {
			t.Errorf("%s: err = %v, want a 422", body, err)
		}
	}
}

func TestRemoteNote(t *testing.T) {
	body := `{"id":"https://m.example/s/9","type":"Note","attributedTo":["https://m.example/u/a"],
	"inReplyTo":{"id":"http://localhost:8080/case-studies/libraries","type":"Article"},
	"summary":"cw","sensitive":true,"content":"<p>Thanks! <script>x</script></p>","url":"https://m.example/@a/9",
	"published":"2026-01-02T03:04:05.123+01:00","cc":"Public"}`
	o, err := ap.ParseObject([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	r, err := convert.ToNote(o, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := convert.NoteData{
		IRI: "https://m.example/s/9", AuthorIRI: "https://m.example/u/a", InReplyTo: "http://localhost:8080/case-studies/libraries",
		Content: "<p>Thanks! </p>", Summary: "cw", Sensitive: true, URL: "https://m.example/@a/9", Visibility: "unlisted",
		Published: time.Date(2026, 1, 2, 2, 4, 5, 123e6, time.UTC), Updated: time.Date(2026, 1, 2, 2, 4, 5, 123e6, time.UTC),
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("reply =\n%+v\nwant\n%+v", r, want)
	}
	for _, bad := range []string{
		`{"id":"https://m.example/s/1","type":"Note","attributedTo":"https://m.example/u/a","inReplyTo":"javascript:x","content":"x"}`,
		`{"id":"https://m.example/s/1","type":"Note","inReplyTo":"https://x/y","content":"x"}`,
		`{"id":"https://m.example/s/1","type":"Note","attributedTo":"https://m.example/u/a","inReplyTo":"https://x/y","content":"<script></script>"}`,
		`{"id":"https://m.example/s/1","type":"Like","attributedTo":"https://m.example/u/a","inReplyTo":"https://x/y"}`,
	} {
		o, err := ap.ParseObject([]byte(bad))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := convert.ToNote(o, 0); err == nil {
			t.Errorf("ToNote(%s) succeeded", bad)
		}
	}
}
