package activitypub_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

func TestWebFinger(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		host := strings.TrimPrefix(n.URL, "http://") // 127.0.0.1:PORT
		actorID := n.URL + "/actors/org"
		tests := []struct {
			name, resource string
			status         int
		}{
			{"acct with port", "acct:org@" + host, http.StatusOK},
			{"acct with a leading @", "acct:@org@" + host, http.StatusOK},
			{"acct in upper case", "acct:ORG@" + host, http.StatusOK},
			{"actor URL", actorID, http.StatusOK},
			{"profile URL", n.URL + "/@org", http.StatusOK},
			{"acct without the port", "acct:org@127.0.0.1", http.StatusNotFound},
			{"another host", "acct:org@elsewhere.example", http.StatusNotFound},
			{"another host's URL", "https://elsewhere.example/actors/org", http.StatusNotFound},
			{"unknown handle", "acct:nobody@" + host, http.StatusNotFound},
			{"missing", "", http.StatusBadRequest},
			{"garbage", "garbage", http.StatusBadRequest},
			{"acct without host", "acct:org", http.StatusBadRequest},
			{"mailto", "mailto:org@" + host, http.StatusBadRequest},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := testrig.Do(t, http.MethodGet, n.URL+"/.well-known/webfinger?resource="+url.QueryEscape(tt.resource), nil, nil)
				if tt.status != http.StatusOK {
					testrig.WantError(t, r, tt.status)
					return
				}
				if r.Status != http.StatusOK {
					t.Fatalf("%d %s", r.Status, r.Body)
				}
				var jrd struct {
					Subject string
					Links   []struct{ Rel, Type, Href string }
				}
				r.Decode(t, &jrd)
				if jrd.Subject != "acct:org@"+host {
					t.Errorf("subject %q, want acct:org@%s", jrd.Subject, host)
				}
				self := ""
				for _, l := range jrd.Links {
					if l.Rel == "self" && l.Type == "application/activity+json" {
						self = l.Href
					}
				}
				if self != actorID {
					t.Errorf("self link %q, want %q", self, actorID)
				}
				if r.Header.Get("Access-Control-Allow-Origin") != "*" {
					t.Error("no CORS header")
				}
			})
		}
	})
}

func TestHostMeta(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	r := testrig.Do(t, http.MethodGet, n.URL+"/.well-known/host-meta", nil, nil)
	want := `template="` + n.URL + `/.well-known/webfinger?resource={uri}"`
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), want) || !strings.Contains(string(r.Body), `rel="lrdd"`) {
		t.Errorf("host-meta = %d %s", r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xrd+xml") {
		t.Errorf("host-meta Content-Type %q", ct)
	}
}
