package activitypub_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

func TestCaseStudyContentNegotiation(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		iri := n.Publish(t, testrig.CaseStudyBody())["id"].(string)
		for _, accept := range []string{
			"application/activity+json",
			`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`,
			`application/ld+json; profile="https://www.w3.org/ns/activitystreams", application/activity+json`,
		} {
			t.Run(accept, func(t *testing.T) {
				r := testrig.Do(t, http.MethodGet, iri, nil, map[string]string{"Accept": accept})
				if r.Status != http.StatusOK {
					t.Fatalf("%d %s", r.Status, r.Body)
				}
				if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/activity+json") {
					t.Errorf("Content-Type %q", ct)
				}
				if vary := r.Header.Values("Vary"); len(vary) != 1 || vary[0] != "Accept" {
					t.Errorf("Vary %q, want Accept once", vary)
				}
				m := r.Map(t)
				if m["type"] != "Article" || m["id"] != iri || m["attributedTo"] != n.URL+"/actors/org" {
					t.Errorf("Article %v", m)
				}
				if ctx, ok := m["@context"].([]any); !ok || ctx[0] != "https://www.w3.org/ns/activitystreams" {
					t.Errorf("@context %v", m["@context"])
				}
			})
		}
		for _, accept := range []string{"text/html", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"} {
			r := testrig.Do(t, http.MethodGet, iri, nil, map[string]string{"Accept": accept})
			if vary := r.Header.Values("Vary"); len(vary) != 1 || vary[0] != "Accept" {
				t.Errorf("Accept %s: Vary %q, want Accept once", accept, vary)
			}
			if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") ||
				!strings.Contains(string(r.Body), "Keeping the libraries open") {
				t.Errorf("Accept %s: %d %s", accept, r.Status, r.Header.Get("Content-Type"))
			}
		}
		testrig.WantError(t, testrig.GetAP(t, n.URL+"/case-studies/nope"), http.StatusNotFound)
		r := testrig.Do(t, http.MethodGet, n.URL+"/case-studies/nope", nil, map[string]string{"Accept": "text/html"})
		if r.Status != http.StatusNotFound {
			t.Errorf("HTML GET of an unknown case study = %d", r.Status)
		}
		// The home page lists the case study.
		r = testrig.Do(t, http.MethodGet, n.URL+"/", nil, map[string]string{"Accept": "text/html"})
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), "Keeping the libraries open") {
			t.Errorf("home page = %d", r.Status)
		}
	})
}

func TestOutbox(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		outbox := n.URL + "/actors/org/outbox"
		if m := testrig.GetAP(t, outbox).Map(t); m["totalItems"] != 0.0 || m["first"] != nil {
			t.Errorf("empty outbox %v", m)
		}
		// 21 case studies: more than one page of 20.
		for i := range 21 {
			b := map[string]any{"title": "Case " + string(rune('a'+i)), "summary": "S", "body": "B"}
			n.Publish(t, b)
		}
		gone := n.Publish(t, map[string]any{"title": "Deleted", "summary": "S", "body": "B"})
		if r := n.API(t, http.MethodDelete, "/case-studies/"+gone["slug"].(string), nil); r.Status != http.StatusNoContent {
			t.Fatal(r.Status)
		}
		m := testrig.GetAP(t, outbox).Map(t)
		if m["type"] != "OrderedCollection" || m["totalItems"] != 21.0 || m["first"] != outbox+"?page=1" {
			t.Fatalf("outbox %v", m)
		}
		p1 := testrig.GetAP(t, outbox+"?page=1").Map(t)
		items, _ := p1["orderedItems"].([]any)
		if p1["type"] != "OrderedCollectionPage" || p1["partOf"] != outbox || p1["next"] != outbox+"?page=2" || len(items) != 20 {
			t.Fatalf("page 1: type %v, partOf %v, next %v, %d items", p1["type"], p1["partOf"], p1["next"], len(items))
		}
		first := items[0].(map[string]any)
		obj := first["object"].(map[string]any)
		if first["type"] != "Create" || obj["type"] != "Article" || obj["name"] != "Case u" || first["actor"] != n.URL+"/actors/org" {
			t.Errorf("newest item %v", first)
		}
		p2 := testrig.GetAP(t, outbox+"?page=2").Map(t)
		items, _ = p2["orderedItems"].([]any)
		if len(items) != 1 || p2["next"] != nil || p2["prev"] != outbox+"?page=1" {
			t.Errorf("page 2: %d items, next %v, prev %v", len(items), p2["next"], p2["prev"])
		}
		if name := items[0].(map[string]any)["object"].(map[string]any)["name"]; name != "Case a" {
			t.Errorf("oldest item %v", name)
		}
		testrig.WantError(t, testrig.GetAP(t, outbox+"?page=3"), http.StatusNotFound)
		testrig.WantError(t, testrig.GetAP(t, outbox+"?page=0"), http.StatusBadRequest)
		testrig.WantError(t, testrig.GetAP(t, n.URL+"/actors/nobody/outbox"), http.StatusNotFound)
	})
}
