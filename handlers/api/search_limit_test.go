package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// TestSearchLengthCapped: a search or filter over 200 characters is a 400
// answered before the database is asked, on every list that searches; 200
// characters (multi-byte ones too) are searched as usual.
func TestSearchLengthCapped(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		body := testrig.CaseStudyBody()
		body["body"] = strings.Repeat("Libraries kept open by a mutual. ", 2000)
		n.Publish(t, body)
		lists := []string{"/api/v1/case-studies", "/api/v1/feed", "/", "/@org", "/tags/libraries"}
		long := map[string]string{
			"q":                 strings.Repeat("library ", 26)[:201],
			"tag":               strings.Repeat("t", 201),
			"region":            strings.Repeat("r", 201),
			"service_area":      strings.Repeat("é", 201),
			"organisation_type": strings.Repeat("o", 201),
			"stage":             strings.Repeat("s", 201),
		}
		for _, path := range lists {
			for name, value := range long {
				r := testrig.Do(t, http.MethodGet, n.URL+path+"?"+url.Values{name: {value}}.Encode(), nil, nil)
				testrig.WantError(t, r, http.StatusBadRequest, name, "200 characters")
			}
			// Far longer: SQLite failed with a 500 past 50,000 characters.
			r := testrig.Do(t, http.MethodGet, n.URL+path+"?q="+strings.Repeat("a", 50_001), nil, nil)
			testrig.WantError(t, r, http.StatusBadRequest, "q is longer than 200 characters")
			for _, q := range []string{strings.Repeat("é", 200), strings.Repeat("library ", 25)} {
				r = testrig.Do(t, http.MethodGet, n.URL+path+"?"+url.Values{"q": {q}}.Encode(), nil, nil)
				if r.Status != http.StatusOK {
					t.Errorf("GET %s with a q of 200 characters: %d %s", path, r.Status, r.Body)
				}
			}
		}
		testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+"/tags/"+strings.Repeat("t", 201), nil, nil), http.StatusBadRequest, "200 characters")
	})
}
