package federation_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/convert"
	"github.com/pollen-coop/pollen/models"
)

// remoteAuthor is the author of the round-trip case studies.
var remoteAuthor = models.Actor{IRI: "http://localhost:8080/actors/org", Followers: "http://localhost:8080/actors/org/followers"}

// remoteCaseStudies are local case studies as the store holds them, their
// Content as service renders their Markdown Body.
func remoteCaseStudies(t *testing.T) map[string]models.CaseStudy {
	t.Helper()
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
	full.Content = "<p>We <strong>did</strong> it.</p>\n<ul>\n<li>one</li>\n<li>two x</li>\n</ul>"

	minimal := models.CaseStudy{
		IRI: "http://localhost:8080/case-studies/min", URL: "http://localhost:8080/case-studies/min",
		Title: "Minimal", Summary: "Only what is required.", Body: "Body.",
		OrganisationType: "council", Published: published, Updated: published,
	}
	minimal.Content = "<p>Body.</p>"

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
	unicode.Content = "<h1>Pennawd</h1>\n<p>Testun gydag ŵ ac ŷ, emoji 🌻 and html.</p>"

	free := models.CaseStudy{
		IRI: "http://localhost:8080/case-studies/free", URL: "http://localhost:8080/case-studies/free",
		Title: "Free-text service area", Summary: "A service area outside the known list.", Body: "Text.",
		OrganisationType: "charity", ServiceArea: "parks and open spaces", Stage: "scaling",
		SavingsAmount: "999999999999999.9999", SavingsCurrency: "USD", SavingsPeriod: "month",
		ContactName: "Bo", ContactRole: "Chair", Tags: models.StringList{"ParksAndOpen"},
		Published: published, Updated: published,
	}
	free.Content = "<p>Text.</p>"
	markup := models.CaseStudy{
		IRI: "http://localhost:8080/case-studies/markup", URL: "http://localhost:8080/case-studies/markup",
		Title: `Fish &amp; chips <b>"bold"</b> 'quoted' a < b`, Summary: `a < b &amp; c > "d" 'e' &lt;img src=x onerror=alert(1)&gt; <img src=x onerror=alert(1)>`,
		Body: "Text.", OrganisationType: "charity", ContactName: `Ann <i>"Smith"</i> &amp; co`, ContactRole: "a < b",
		Outcomes:  models.StringList{"<b>kept</b> &amp; more"},
		Published: published, Updated: published,
	}
	markup.Content = "<p>Text.</p>"
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
	got, err := convert.ToCaseStudy(o)
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
