package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// TestBadTextRefused sends NULs and bytes that are not UTF-8 in paths,
// query parameters and JSON bodies, anonymously and with the admin token:
// each is a 400 naming the problem, never a 500 (PostgreSQL cannot store
// either), and nothing is stored.
func TestBadTextRefused(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		n.Publish(t, testrig.CaseStudyBody())
		before := n.StoredCaseStudies(t)
		host := n.Config.Host()
		gets := map[string]string{
			"/api/v1/case-studies?q=%00":                       "NUL",
			"/api/v1/case-studies?q=%FF":                       "UTF-8",
			"/api/v1/case-studies?region=%C3%28":               "UTF-8",
			"/api/v1/case-studies?%FF=1":                       "UTF-8",
			"/api/v1/case-studies?q=%zz":                       "malformed",
			"/api/v1/feed?tag=a%00b":                           "NUL",
			"/api/v1/case-studies/%00":                         "NUL",
			"/api/v1/case-studies/%FF%FE":                      "UTF-8",
			"/?q=%00":                                          "NUL",
			"/@org?stage=%FF":                                  "UTF-8",
			"/tags/%00":                                        "NUL",
			"/tags/%FF%FE":                                     "UTF-8",
			"/case-studies/%FF%FE":                             "UTF-8",
			"/case-studies/a%00b/replies":                      "NUL",
			"/actors/%00":                                      "NUL",
			"/actors/%FF/outbox?page=1":                        "UTF-8",
			"/nodeinfo/%00":                                    "NUL",
			"/.well-known/webfinger?resource=acct:%00@" + host: "NUL",
			"/.well-known/webfinger?resource=acct:%FF@" + host: "UTF-8",
			"/no-such-route/%00":                               "NUL",
		}
		for path, reason := range gets {
			r := testrig.Do(t, http.MethodGet, n.URL+path, nil, nil)
			testrig.WantError(t, r, http.StatusBadRequest, reason)
		}

		auth := map[string]string{"Authorization": "Bearer " + n.Token}
		bodies := map[string]string{
			"raw \\xff":        `{"title":"Bad ` + "\xff" + `","summary":"S","body":"B"}`,
			"raw NUL":          `{"title":"Bad ` + "\x00" + `","summary":"S","body":"B"}`,
			"escaped NUL":      `{"title":"Bad \u0000","summary":"S","body":"B"}`,
			"lone surrogate":   `{"title":"Bad ` + "\xed\xa0\x80" + `","summary":"S","body":"B"}`,
			"NUL in a list":    `{"title":"T","summary":"S","body":"B","tags":["a\u0000"]}`,
			"NUL in a key":     `{"title\u0000":"T","summary":"S","body":"B"}`,
			"overlong slash":   `{"title":"` + "\xc0\xaf" + `","summary":"S","body":"B"}`,
			"truncated rune":   `{"title":"` + "\xe2\x82" + `","summary":"S","body":"B"}`,
			"NUL in the token": `{"title":"T","summary":"S","body":"\u0000"}`,
		}
		for name, body := range bodies {
			r := testrig.Do(t, http.MethodPost, n.URL+"/api/v1/case-studies", body, auth)
			if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "body") {
				t.Errorf("POST with %s: %d %s, want a 400 about the body", name, r.Status, r.Body)
			}
			r = testrig.Do(t, http.MethodPut, n.URL+"/api/v1/case-studies/keeping-the-libraries-open", body, auth)
			if r.Status != http.StatusBadRequest {
				t.Errorf("PUT with %s: %d %s, want 400", name, r.Status, r.Body)
			}
		}
		r := testrig.Do(t, http.MethodPost, n.URL+"/api/v1/follows", `{"actor":"acct:a`+"\xff"+`@example.org"}`, auth)
		testrig.WantError(t, r, http.StatusBadRequest, "UTF-8")
		// The inbox, signed by a real remote actor.
		rm := testrig.StartRemote(t)
		follow := `{"@context":"https://www.w3.org/ns/activitystreams","id":"` + rm.ActorIRI + `/follows/bad","type":"Follow","actor":"` + rm.ActorIRI + `","object":"` + n.URL + `/actors/org","summary":"`
		followNUL := strings.Replace(follow, `"type":"Follow"`, `"type":"Fol\u0000low"`, 1)
		for _, c := range []struct{ body, reason string }{
			{follow + "\xff\"}", "not valid UTF-8"},
			{followNUL + `"}`, "NUL"},
		} {
			testrig.WantError(t, rm.Post(t, n.URL+"/inbox", []byte(c.body)), http.StatusBadRequest, c.reason)
		}
		if counts, err := n.Store.Activities.Counts(t.Context()); err != nil || len(counts) != 0 {
			t.Errorf("activities after refusals: %v, %v", counts, err)
		}
		if got := n.StoredCaseStudies(t); got != before {
			t.Errorf("%d case studies after refusals, want %d", got, before)
		}
		// A backslash followed by u0000 is text, not a NUL.
		body := testrig.CaseStudyBody()
		body["title"] = `Escapes such as \u0000 in code`
		if m := n.Publish(t, body); m["title"] != body["title"] {
			t.Errorf("title %v, want %v", m["title"], body["title"])
		}
	})
}
