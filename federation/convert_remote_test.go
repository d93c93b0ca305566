package federation_test

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// remoteAuthor is the author of the round-trip case studies.
var remoteAuthor = models.Actor{IRI: "http://localhost:8080/actors/org", Followers: "http://localhost:8080/actors/org/followers"}

// remoteCaseStudies are local case studies as the store holds them.
func remoteCaseStudies(t *testing.T) map[string]models.CaseStudy {
	t.Helper()
	render := func(md string) string {
		html, err := federation.RenderMarkdown(md)
		if err != nil {
			t.Fatal(err)
		}
		return html
	}
	published := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	full := models.CaseStudy{
		IRI: "http://localhost:8080/case-studies/libraries", URL: "http://localhost:8080/case-studies/libraries",
		Title: "Keeping the libraries open", Summary: "How a mutual kept five libraries open & staffed.",
		Body: "We **did** it.\n\n- one\n- two <script>x</script>", OrganisationType: "public service mutual",
		ServiceArea: "libraries", Region: "North West", Stage: "operating",
		Outcomes:      models.StringList{"Five libraries open", "Longer opening hours"},
		SavingsAmount: "125000.50", SavingsCurrency: "GBP", SavingsPeriod: "year",
		OwnershipModel: "employee-owned", Lessons: models.StringList{"Start early", "Talk to unions"},
		ContactName: "Ann Smith", ContactRole: "Director", ContactEmail: "ann@example.org",
		Tags: models.StringList{"mutuals", "Community_Assets"},
		Attachments: models.AttachmentList{
			{URL: "https://example.org/r.pdf", MediaType: "application/pdf", Name: "Report"},
			{URL: "https://example.org/p.png", MediaType: "image/png", Name: "A photo"},
		},
		Published: published, Updated: published.Add(48 * time.Hour),
	}
	full.Content = render(full.Body)

	minimal := models.CaseStudy{
		IRI: "http://localhost:8080/case-studies/min", URL: "http://localhost:8080/case-studies/min",
		Title: "Minimal", Summary: "Only what is required.", Body: "Body.",
		OrganisationType: "council", Published: published, Updated: published,
	}
	minimal.Content = render(minimal.Body)

	unicode := models.CaseStudy{
		IRI: "http://localhost:8080/case-studies/gofal", URL: "http://localhost:8080/case-studies/gofal",
		Title: "Gofal cymdeithasol i oedolion — Cymru 🌼", Summary: "Crynodeb: «ystafell» ‘ddiogel’ 中文 ✓",
		Body: "# Pennawd\n\nTestun gydag ŵ ac ŷ, emoji 🌻 and <b>html</b>.", OrganisationType: "social enterprise",
		ServiceArea: "children's services", Region: "Wales", Stage: "spinning out",
		Outcomes: models.StringList{"Mwy o ofal ✓"}, Lessons: models.StringList{"Dysgu’n gynnar"},
		SavingsAmount: "0.0001", SavingsCurrency: "EUR", SavingsPeriod: "one-off",
		ContactName: "Siân Jones", ContactEmail: "sian@enghraifft.cymru",
		Tags:      models.StringList{"Gofal", "Cymraeg_2026"},
		Published: published, Updated: published.Add(time.Second),
	}
	unicode.Content = render(unicode.Body)

	free := models.CaseStudy{
		IRI: "http://localhost:8080/case-studies/free", URL: "http://localhost:8080/case-studies/free",
		Title: "Free-text service area", Summary: "A service area outside the known list.", Body: "Text.",
		OrganisationType: "charity", ServiceArea: "parks and open spaces", Stage: "scaling",
		SavingsAmount: "999999999999999.9999", SavingsCurrency: "USD", SavingsPeriod: "month",
		ContactName: "Bo", ContactRole: "Chair", Tags: models.StringList{"ParksAndOpen"},
		Published: published, Updated: published,
	}
	free.Content = render(free.Body)
	markup := models.CaseStudy{
		IRI: "http://localhost:8080/case-studies/markup", URL: "http://localhost:8080/case-studies/markup",
		Title: `Fish &amp; chips <b>"bold"</b> 'quoted' a < b`, Summary: `a < b &amp; c > "d" 'e' &lt;img src=x onerror=alert(1)&gt; <img src=x onerror=alert(1)>`,
		Body: "Text.", OrganisationType: "charity", ContactName: `Ann <i>"Smith"</i> &amp; co`, ContactRole: "a < b",
		Outcomes:  models.StringList{"<b>kept</b> &amp; more"},
		Published: published, Updated: published,
	}
	markup.Content = render(markup.Body)
	return map[string]models.CaseStudy{"full": full, "minimal": minimal, "unicode": unicode, "free text": free, "markup as text": markup}
}

func remoteService() *federation.Documents {
	return federation.New(config.Default(), nil, slog.New(slog.NewTextHandler(io.Discard, nil))).Documents()
}

// TestRoundTripCaseStudy sends each case study through ToArticle, JSON and
// ParseObject (alone and inside a Create) and expects every field back.
func TestRoundTripCaseStudy(t *testing.T) {
	svc := remoteService()
	for name, want := range remoteCaseStudies(t) {
		t.Run(name, func(t *testing.T) {
			a := svc.ToArticle(want, remoteAuthor)
			a.Context = ap.Context
			body, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			o, err := ap.ParseObject(body)
			if err != nil {
				t.Fatalf("ParseObject: %v", err)
			}
			remoteCompare(t, want, o)

			create := federation.Activity{Context: ap.Context, ID: want.IRI + "#create", Type: "Create",
				Actor: remoteAuthor.IRI, To: []string{ap.PublicIRI}, Object: svc.ToArticle(want, remoteAuthor)}
			body, err = json.Marshal(create)
			if err != nil {
				t.Fatal(err)
			}
			act, err := ap.ParseActivity(body)
			if err != nil {
				t.Fatalf("ParseActivity: %v", err)
			}
			if act.Type != "Create" || act.Actor != remoteAuthor.IRI || act.Object.Object == nil || act.Object.IRI != want.IRI {
				t.Fatalf("activity = %+v", act)
			}
			remoteCompare(t, want, *act.Object.Object)
		})
	}
}

// TestRemoteJSONLDShapes reads the extension terms in the other shapes
// JSON-LD allows: @list objects, numbers, @value objects, single values.
func TestRemoteJSONLDShapes(t *testing.T) {
	svc := remoteService()
	want := remoteCaseStudies(t)["full"]
	body, err := json.Marshal(svc.ToArticle(want, remoteAuthor))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	m["outcomes"] = map[string]any{"@list": m["outcomes"]}
	m["lessons"] = map[string]any{"@set": m["lessons"]}
	m["savings"] = map[string]any{"amount": json.Number("125000.50"), "currency": "gbp", "period": "Year"}
	m["region"] = map[string]any{"@value": "North West", "@language": "en"}
	m["to"] = "as:Public"
	m["attributedTo"] = map[string]any{"id": remoteAuthor.IRI, "type": "Organization"}
	m["url"] = []any{map[string]any{"type": "Link", "href": want.URL, "mediaType": "text/html"}}
	m["pollen:futureTerm"] = map[string]any{"x": 1}
	body, err = json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	o, err := ap.ParseObject(body)
	if err != nil {
		t.Fatal(err)
	}
	if !o.IsPublic() || o.AttributedTo != remoteAuthor.IRI {
		t.Errorf("public %v, attributedTo %q", o.IsPublic(), o.AttributedTo)
	}
	got := remoteCompare(t, want, o)
	if got.Extra != `{"pollen:futureTerm":{"x":1}}` {
		t.Errorf("Extra = %s", got.Extra)
	}
}

// remoteCompare converts o and checks every field the API shows.
func remoteCompare(t *testing.T, want models.CaseStudy, o ap.Object) models.CaseStudy {
	t.Helper()
	got, err := federation.ToCaseStudy(o)
	if err != nil {
		t.Fatalf("ToCaseStudy: %v", err)
	}
	norm := func(c models.CaseStudy) models.CaseStudy {
		c.ID, c.Slug, c.Local, c.ActorID, c.Extra, c.CreatedAt, c.UpdatedAt = 0, nil, false, 0, "", time.Time{}, time.Time{}
		if len(c.Outcomes) == 0 {
			c.Outcomes = nil
		}
		if len(c.Lessons) == 0 {
			c.Lessons = nil
		}
		if len(c.Tags) == 0 {
			c.Tags = nil
		}
		if len(c.Attachments) == 0 {
			c.Attachments = nil
		}
		return c
	}
	if g, w := norm(got), norm(want); !reflect.DeepEqual(g, w) {
		gj, _ := json.MarshalIndent(g, "", " ")
		wj, _ := json.MarshalIndent(w, "", " ")
		t.Errorf("case study differs:\n got %s\nwant %s", gj, wj)
	}
	return got
}

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
			c, err := federation.ToCaseStudy(o)
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
	c, err := federation.ToCaseStudy(o)
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
		_, err = federation.ToCaseStudy(o)
		var fe *apperr.Error
		if !errors.As(err, &fe) || fe.Kind != apperr.Unprocessable {
			t.Errorf("%s: err = %v, want a 422", body, err)
		}
	}
}

func TestRemoteReply(t *testing.T) {
	body := `{"id":"https://m.example/s/9","type":"Note","attributedTo":["https://m.example/u/a"],
	"inReplyTo":{"id":"http://localhost:8080/case-studies/libraries","type":"Article"},
	"summary":"cw","sensitive":true,"content":"<p>Thanks! <script>x</script></p>","url":"https://m.example/@a/9",
	"published":"2026-01-02T03:04:05.123+01:00","cc":"Public"}`
	o, err := ap.ParseObject([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	r, err := federation.ToReply(o, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := federation.ReplyData{
		IRI: "https://m.example/s/9", AuthorIRI: "https://m.example/u/a", InReplyTo: "http://localhost:8080/case-studies/libraries",
		Content: "<p>Thanks! </p>", Summary: "cw", Sensitive: true, URL: "https://m.example/@a/9", Public: true,
		Published: time.Date(2026, 1, 2, 2, 4, 5, 123e6, time.UTC), Updated: time.Date(2026, 1, 2, 2, 4, 5, 123e6, time.UTC),
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("reply =\n%+v\nwant\n%+v", r, want)
	}
	for _, bad := range []string{
		`{"id":"https://m.example/s/1","type":"Note","attributedTo":"https://m.example/u/a","content":"x"}`,
		`{"id":"https://m.example/s/1","type":"Note","inReplyTo":"https://x/y","content":"x"}`,
		`{"id":"https://m.example/s/1","type":"Note","attributedTo":"https://m.example/u/a","inReplyTo":"https://x/y","content":"<script></script>"}`,
		`{"id":"https://m.example/s/1","type":"Like","attributedTo":"https://m.example/u/a","inReplyTo":"https://x/y"}`,
	} {
		o, err := ap.ParseObject([]byte(bad))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := federation.ToReply(o, 0); err == nil {
			t.Errorf("ToReply(%s) succeeded", bad)
		}
	}
}
