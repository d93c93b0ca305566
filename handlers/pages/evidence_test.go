package pages_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/testrig"
)

// euroCaseStudy reports its savings in another currency, per another
// period: no sum adds them to pounds a year.
var euroCaseStudy = map[string]any{
	"title": "=HYPERLINK(\"https://evil.example\") Museums in Lyon", "summary": "+A museum trust.", "body": "Museums.",
	"service_area": "culture", "region": "Wales", "stage": "operating",
	"outcomes": []string{"All 64 branches kept open"}, "lessons": []string{"-Start early", "@Ask staff"},
	"savings": map[string]any{"amount": 5000, "currency": "EUR", "period": "month"},
	"tags":    []string{"museums"},
}

// evidenceHub is a hub holding case studies of its own and received ones,
// with savings in two currencies.
func evidenceHub(t *testing.T, db testrig.DB) *testrig.Node {
	t.Helper()
	n := testrig.StartNode(t, testrig.Options{DB: db, Configure: func(c *config.Config) { c.Role = config.RoleHub }})
	n.Publish(t, fullCaseStudy)
	n.Publish(t, secondCaseStudy)
	n.Publish(t, euroCaseStudy)
	n.SaveRemoteCaseStudy(t, fullRemote)
	for _, r := range feedRemotes {
		n.SaveRemoteCaseStudy(t, r)
	}
	return n
}

// numberLinks are the links of the evidence page's tables whose text is
// a count: each href with its count.
var numberLinks = regexp.MustCompile(`<td class="govuk-table__cell govuk-table__cell--numeric"><a class="govuk-link" href="([^"]+)">([0-9]+)<span`)

func TestEvidencePage(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := evidenceHub(t, db)
		accept := map[string]string{"Accept": "text/html"}
		r := testrig.Do(t, http.MethodGet, n.URL+"/evidence", nil, accept)
		body := string(r.Body)
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("GET /evidence = %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		for _, want := range []string{
			"What 7 case studies report",
			"Case studies by service area", "Case studies by region", "Case studies by stage",
			"Reported savings by service area", "Reported savings by region", "The most common outcomes", "The most common lessons",
			`href="/feed?service_area=libraries">3<span`,
			`href="/feed?region=North&#43;West">5<span`,
			// Each currency and period apart, linked to the case studies
			// that report it.
			`£1,200,000 a year`, `€5,000 a month`,
			`href="/feed?savings_currency=GBP&amp;savings_min=0&amp;savings_period=year&amp;sort=savings"`,
			`href="/feed?q=%22All&#43;64&#43;branches&#43;kept&#43;open%22">2<span`,
			`role="img" aria-labelledby="areas-chart-title areas-chart-desc"`, `<title id="areas-chart-title">`, `<desc id="areas-chart-desc">`,
			`<rect class="pollen-chart-bar"`, `href="/feed.csv"`, `href="/feed.atom" title=`, `href="/feed.json" title=`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("/evidence lacks %q", want)
			}
		}
		for _, bad := range []string{" style=", "<script>", "<style"} {
			if strings.Contains(body, bad) {
				t.Errorf("/evidence holds %q", bad)
			}
		}
		// Every count links to the feed page of the case studies it counts.
		links := numberLinks.FindAllStringSubmatch(body, -1)
		if len(links) < 10 {
			t.Fatalf("only %d number links", len(links))
		}
		for _, l := range links {
			href, count := html.UnescapeString(l[1]), l[2]
			page := string(testrig.Do(t, http.MethodGet, n.URL+href, nil, accept).Body)
			want := count + " case studies"
			if count == "1" {
				want = "1 case study"
			}
			if !strings.Contains(page, `id="result-count">`+want+"<") {
				t.Errorf("%s counts %s, its feed page does not", href, count)
			}
		}

		// The filters of /feed narrow every number.
		r = testrig.Do(t, http.MethodGet, n.URL+"/evidence?region=London&region=North+West&service_area=libraries", nil, accept)
		body = string(r.Body)
		for _, want := range []string{"What 3 case studies report", `href="/evidence?region=London&amp;service_area=libraries"`,
			`href="/feed?region=London&amp;region=North&#43;West&amp;service_area=libraries"`, `/feed.csv?region=London&amp;region=North&#43;West&amp;service_area=libraries`,
			`/feed.atom?region=London&amp;region=North&#43;West&amp;service_area=libraries`} {
			if r.Status != http.StatusOK || !strings.Contains(body, want) {
				t.Errorf("filtered /evidence = %d, lacks %q", r.Status, want)
			}
		}
		if strings.Contains(body, "€") {
			t.Error("filtered /evidence shows savings of a case study it does not count")
		}
		r = testrig.Do(t, http.MethodGet, n.URL+"/evidence?region=Atlantis", nil, accept)
		if body := string(r.Body); r.Status != http.StatusOK || !strings.Contains(body, "What 0 case studies report") || !strings.Contains(body, "None of these case studies reports savings") {
			t.Errorf("empty /evidence = %d", r.Status)
		}

		for _, query := range []string{"colour=red", "q=-mutual", "savings_min=x&savings_currency=GBP&savings_period=year", "region=" + strings.Repeat("x", 300)} {
			if r := testrig.Do(t, http.MethodGet, n.URL+"/evidence?"+query, nil, nil); r.Status != http.StatusBadRequest {
				t.Errorf("GET /evidence?%s = %d, want 400", query, r.Status)
			}
		}
		// The feed page links here, with its filters.
		feed := string(testrig.Do(t, http.MethodGet, n.URL+"/?region=London", nil, accept).Body)
		for _, want := range []string{`href="/evidence?region=London"`, `href="/feed.csv?region=London"`} {
			if !strings.Contains(feed, want) {
				t.Errorf("the hub's home page lacks %q", want)
			}
		}
	})
}
