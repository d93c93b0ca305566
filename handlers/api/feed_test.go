package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/testrig"
)

// feedAnswer is the part of GET /api/v1/feed the tests read.
type feedAnswer struct {
	Items []struct {
		Title, Snippet, Page, Slug string
		Local                      bool
	} `json:"items"`
	Total  int64 `json:"total"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Count int64  `json:"count"`
	} `json:"facets"`
}

func (a feedAnswer) titles() []string {
	out := []string{}
	for _, it := range a.Items {
		out = append(out, it.Title)
	}
	return out
}

// feedNode publishes three case studies and stores one received.
func feedNode(t *testing.T, n *testrig.Node) {
	t.Helper()
	for _, f := range []struct{ title, region, area, lesson, published string }{
		{"École des arts <script>alert(1)</script>", "London", "culture", "Ask the pupils", "2023-05-01T09:00:00Z"},
		{"Library mutual", "North West", "libraries", "Start the staff consultation early", "2024-05-01T09:00:00Z"},
		{"Leisure trust", "North West", "leisure", "Keep the mutuals informed", "2025-05-01T09:00:00Z"},
	} {
		body := testrig.CaseStudyBody()
		body["title"], body["region"], body["service_area"] = f.title, f.region, f.area
		body["summary"], body["lessons"], body["published"], body["tags"] = "A case study.", []string{f.lesson}, f.published, []string{f.area}
		n.Publish(t, body)
	}
	n.SaveRemoteCaseStudy(t, testrig.RemoteCaseStudy{Host: "peer.example", Handle: "wigan", Name: "Wigan Council",
		Title: "Museum spin out", Summary: "A museum became a mutual.", ServiceArea: "culture",
		Published: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
}

func getFeed(t *testing.T, n *testrig.Node, query string) feedAnswer {
	t.Helper()
	r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/feed?"+query, nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /api/v1/feed?%s = %d %s", query, r.Status, r.Body)
	}
	var a feedAnswer
	r.Decode(t, &a)
	return a
}

func TestFeedSearch(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		feedNode(t, n)
		for _, tt := range []struct {
			name, query string
			want        []string
		}{
			{"accents", "q=ecole", []string{"École des arts <script>alert(1)</script>"}},
			{"stemming, title first", "q=mutuals", []string{"Library mutual", "Museum spin out", "Leisure trust"}},
			{"phrase from the lessons", "q=%22staff+consultation%22", []string{"Library mutual"}},
			{"or", "q=museum+OR+leisure&sort=newest", []string{"Leisure trust", "Museum spin out"}},
			{"exclusion", "q=mutual+-museum+-leisure", []string{"Library mutual"}},
			{"prefix", "q=libr*", []string{"Library mutual"}},
			{"facets AND across, OR within", "region=North+West&region=London&service_area=libraries", []string{"Library mutual"}},
			{"unknown value", "region=Atlantis", []string{}},
			{"savings", "savings_min=100000&savings_currency=GBP&savings_period=year&sort=newest", []string{"Leisure trust", "Library mutual", "École des arts <script>alert(1)</script>"}},
			{"dates", "published_after=2024-01-01&published_before=2025-02-01", []string{"Museum spin out", "Library mutual"}},
			{"organisation", "organisation=Wigan+Council", []string{"Museum spin out"}},
			{"page past the end", "offset=500", []string{}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if got := getFeed(t, n, tt.query).titles(); !slices.Equal(got, tt.want) {
					t.Errorf("%s: got %q, want %q", tt.query, got, tt.want)
				}
			})
		}

		a := getFeed(t, n, "q=mutual+OR+arts&region=North+West")
		wantRegion := []string{"North West:2", "London:1"}
		var gotRegion []string
		for _, c := range a.Facets["region"] {
			gotRegion = append(gotRegion, c.Value+":"+itoa(c.Count))
		}
		// The region counts ignore the region filter; the received case
		// study has no region.
		if !slices.Equal(gotRegion, wantRegion) || a.Total != 2 {
			t.Errorf("region facet = %v (total %d), want %v", gotRegion, a.Total, wantRegion)
		}
		for _, f := range []string{"region", "service_area", "organisation_type", "stage", "ownership_model", "organisation", "tag", "year"} {
			if _, ok := a.Facets[f]; !ok {
				t.Errorf("no facet %s in %v", f, a.Facets)
			}
		}

		a = getFeed(t, n, "q=arts")
		if len(a.Items) != 1 || strings.Contains(a.Items[0].Snippet, "<script") || !strings.Contains(a.Items[0].Snippet, "<mark>") {
			t.Errorf("snippet = %+v", a.Items)
		}
		if a.Items[0].Page != n.URL+"/case-studies/"+a.Items[0].Slug {
			t.Errorf("page of a local case study = %q", a.Items[0].Page)
		}
		a = getFeed(t, n, "q=museum")
		if len(a.Items) != 1 || !strings.HasPrefix(a.Items[0].Page, n.URL+"/feed/items/") {
			t.Errorf("page of a received case study = %+v", a.Items)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestFeedBadInput(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		feedNode(t, n)
		for _, tt := range []struct {
			query   url.Values
			mention string
		}{
			{url.Values{"q": {strings.Repeat("a ", 5000)}}, "200 characters"},
			{url.Values{"q": {"-library"}}, "excluded"},
			{url.Values{"q": {`- * "" ***`}}, "no word"},
			{url.Values{"sort": {"best"}}, "sort"},
			{url.Values{"colour": {"red"}}, "colour"},
			{url.Values{"q": {"a", "b"}}, "more than once"},
			{url.Values{"savings_min": {"lots"}, "savings_currency": {"GBP"}, "savings_period": {"year"}}, "savings_min"},
			{url.Values{"savings_min": {"100"}}, "savings_currency"},
			{url.Values{"published_after": {"yesterday"}}, "published_after"},
			{url.Values{"limit": {"1000"}}, "limit"},
			{url.Values{"offset": {"-1"}}, "offset"},
		} {
			r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/feed?"+tt.query.Encode(), nil, nil)
			testrig.WantError(t, r, http.StatusBadRequest, tt.mention)
		}
		// Treated as plain words: unbalanced quotes, stray operators, SQL.
		for _, q := range []string{`"staff consultation`, `OR OR mutual OR`, `mutual" AND NOT (`, `x'); DROP TABLE case_studies; --`, "NEAR(a b) ^c:*"} {
			r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/feed?"+url.Values{"q": {q}}.Encode(), nil, nil)
			if r.Status != http.StatusOK {
				t.Errorf("q=%s: %d %s", q, r.Status, r.Body)
			}
		}
		if got := getFeed(t, n, "").Total; got != 4 {
			t.Errorf("after bad input, %d case studies, want 4", got)
		}
	})
}
