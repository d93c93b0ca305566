package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/testrig"
)

func TestFeedPage(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: func(c *config.Config) { c.Role = config.RoleHub }})
		n.Publish(t, fullCaseStudy)
		n.SaveRemoteCaseStudy(t, fullRemote)
		html := map[string]string{"Accept": "text/html"}
		get := func(query string) testrig.Response {
			t.Helper()
			return testrig.Do(t, http.MethodGet, n.URL+"/feed?"+query, nil, html)
		}

		for _, tc := range []struct{ name, path, want string }{
			{"every case study", "/feed", "2 case studies"},
			{"a hub's home page is the feed page", "/", "2 case studies"},
			{"a filter", "/feed?region=North+West&service_area=libraries", "1 case study"},
			{"a search", "/feed?q=" + url.QueryEscape(`"pension terms"`), "<mark>pension"},
			{"savings", "/feed?savings_min=1000&savings_currency=GBP&savings_period=year", "Savings: at least £1,000 a year"},
			{"the form's savings without an amount", "/feed?savings_min=&savings_currency=GBP&savings_period=year&q=", "2 case studies"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := testrig.Do(t, http.MethodGet, n.URL+tc.path, nil, html)
				if r.Status != http.StatusOK || !strings.Contains(string(r.Body), tc.want) || strings.Contains(string(r.Body), "error-message") {
					t.Errorf("GET %s = %d, want 200 with %q:\n%s", tc.path, r.Status, tc.want, r.Body)
				}
			})
		}

		// A parameter the page does not take, or one given twice, is the
		// error page; a query the search cannot read shows the page again,
		// its form filled, with the problem.
		for _, tc := range []struct{ name, query, want string }{
			{"unknown parameter", "colour=red", "Unknown parameter"},
			{"q twice", "q=a&q=b", "Q is given more than once"},
			{"bad offset", "offset=-1", "Offset must be a whole number"},
			{"long filter", "region=" + strings.Repeat("x", 300), "longer than"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := get(tc.query)
				if body := string(r.Body); r.Status != http.StatusBadRequest || !strings.Contains(body, tc.want) || strings.Contains(body, "Apply filters") {
					t.Errorf("GET /feed?%s = %d, want the 400 page with %q:\n%s", tc.query, r.Status, tc.want, body)
				}
			})
		}
		for _, tc := range []struct{ name, query, want, field string }{
			{"only excluded words", "q=-mutual", "Q: ", `href="#q"`},
			{"unknown sort", "sort=colour", "Sort must be relevance, newest or savings", `href="#sort"`},
			{"savings without currency", "savings_min=abc&savings_currency=GBP&savings_period=year", "Savings_min must be an amount", `href="#savings_min"`},
			{"bad date", "published_after=yesterday", "Published_after must be a date", `href="#published_after"`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := get(tc.query)
				body := string(r.Body)
				if r.Status != http.StatusBadRequest || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
					t.Fatalf("GET /feed?%s = %d %s, want the 400 page", tc.query, r.Status, r.Header.Get("Content-Type"))
				}
				for _, want := range []string{"There is a problem", tc.want, tc.field, "Apply filters", "<title>Error: "} {
					if !strings.Contains(body, want) {
						t.Errorf("GET /feed?%s lacks %q:\n%s", tc.query, want, body)
					}
				}
			})
		}
		// The API answers the same refusals.
		testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+"/feed?colour=red", nil, nil), http.StatusBadRequest, "unknown parameter")
	})
}

func TestFeedPageNotHub(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	r := testrig.Do(t, http.MethodGet, n.URL+"/", nil, map[string]string{"Accept": "text/html"})
	if r.Status != http.StatusOK || strings.Contains(string(r.Body), "Find case studies") {
		t.Errorf("GET / on an organisation's node = %d, want its organisation page", r.Status)
	}
}
