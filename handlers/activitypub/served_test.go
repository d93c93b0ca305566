package activitypub_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

const apJSON = "application/activity+json"

func getIf(t *testing.T, url string, header map[string]string) testrig.Response {
	t.Helper()
	h := map[string]string{"Accept": apJSON}
	for k, v := range header {
		h[k] = v
	}
	return testrig.Do(t, http.MethodGet, url, nil, h)
}

// wantValidated checks a 200 with its validators and that each answers 304.
func wantValidated(t *testing.T, url string) testrig.Response {
	t.Helper()
	r := getIf(t, url, nil)
	etag, mod := r.Header.Get("ETag"), r.Header.Get("Last-Modified")
	if r.Status != http.StatusOK || !strings.HasPrefix(etag, `"`) || mod == "" {
		t.Fatalf("GET %s: %d, ETag %q, Last-Modified %q", url, r.Status, etag, mod)
	}
	for _, h := range []map[string]string{
		{"If-None-Match": etag},
		{"If-None-Match": `"other", ` + etag},
		{"If-None-Match": "W/" + etag},
		{"If-Modified-Since": mod},
	} {
		nm := getIf(t, url, h)
		if nm.Status != http.StatusNotModified || len(nm.Body) != 0 || nm.Header.Get("ETag") != etag {
			t.Errorf("GET %s with %v: %d %q, ETag %q, want an empty 304", url, h, nm.Status, nm.Body, nm.Header.Get("ETag"))
		}
	}
	// Another ETag wins over a matching date.
	if nm := getIf(t, url, map[string]string{"If-None-Match": `"other"`, "If-Modified-Since": mod}); nm.Status != http.StatusOK {
		t.Errorf("GET %s with another ETag: %d, want 200", url, nm.Status)
	}
	if nm := getIf(t, url, map[string]string{"If-Modified-Since": "yesterday"}); nm.Status != http.StatusOK {
		t.Errorf("GET %s with a bad date: %d, want 200", url, nm.Status)
	}
	return r
}

func TestServedCaseStudyCache(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		cs := n.Publish(t, testrig.CaseStudyBody())
		iri, slug := cs["id"].(string), cs["slug"].(string)
		first := wantValidated(t, iri)
		etag := first.Header.Get("ETag")

		// An edit: the old ETag gets the new body.
		body := testrig.CaseStudyBody()
		body["title"] = "Keeping the libraries open, a year on"
		if r := n.API(t, http.MethodPut, "/case-studies/"+slug, body); r.Status != http.StatusOK {
			t.Fatalf("PUT: %d %s", r.Status, r.Body)
		}
		r := getIf(t, iri, map[string]string{"If-None-Match": etag, "If-Modified-Since": first.Header.Get("Last-Modified")})
		if r.Status != http.StatusOK || r.Header.Get("ETag") == etag || r.Map(t)["name"] != body["title"] {
			t.Fatalf("after an edit: %d, ETag %q (was %q), %s", r.Status, r.Header.Get("ETag"), etag, r.Body)
		}
		if r.Header.Get("Last-Modified") == first.Header.Get("Last-Modified") {
			t.Errorf("after an edit: Last-Modified %q unchanged", r.Header.Get("Last-Modified"))
		}
		edited := wantValidated(t, iri)

		// A bad edit changes nothing: the cached document stays valid.
		bad := map[string]any{"title": ""}
		if r := n.API(t, http.MethodPut, "/case-studies/"+slug, bad); r.Status < 400 || r.Status >= 500 {
			t.Fatalf("bad PUT: %d", r.Status)
		}
		if r := getIf(t, iri, map[string]string{"If-None-Match": edited.Header.Get("ETag")}); r.Status != http.StatusNotModified {
			t.Errorf("after a refused edit: %d, want 304", r.Status)
		}

		// A deletion: 410 with the Tombstone, whatever the validators.
		if r := n.API(t, http.MethodDelete, "/case-studies/"+slug, nil); r.Status != http.StatusNoContent {
			t.Fatalf("DELETE: %d", r.Status)
		}
		for _, h := range []map[string]string{nil, {"If-None-Match": edited.Header.Get("ETag")}, {"If-Modified-Since": edited.Header.Get("Last-Modified")}} {
			r := getIf(t, iri, h)
			if r.Status != http.StatusGone || r.Map(t)["type"] != "Tombstone" || r.Header.Get("ETag") != "" {
				t.Errorf("deleted, with %v: %d, ETag %q, %s", h, r.Status, r.Header.Get("ETag"), r.Body)
			}
		}
		testrig.WantError(t, getIf(t, n.URL+"/case-studies/never-was", map[string]string{"If-None-Match": "*"}), http.StatusNotFound)
	})
}

func TestServedActorCache(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		actor := n.URL + "/actors/org"
		first := wantValidated(t, actor)
		key := first.Map(t)["publicKey"].(map[string]any)["publicKeyPem"]
		if err := n.Service.RotateKey(context.Background()); err != nil {
			t.Fatal(err)
		}
		r := getIf(t, actor, map[string]string{"If-None-Match": first.Header.Get("ETag")})
		if r.Status != http.StatusOK || r.Map(t)["publicKey"].(map[string]any)["publicKeyPem"] == key {
			t.Fatalf("after a key rotation: %d, the old key served", r.Status)
		}
		wantValidated(t, actor)
		testrig.WantError(t, getIf(t, n.URL+"/actors/nobody", nil), http.StatusNotFound)
	})
}

// Readers and writers at once: every answer is whole, and the last edit
// is what is served afterwards (go test -race).
func TestServedDocumentsConcurrently(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		cs := n.Publish(t, testrig.CaseStudyBody())
		iri, slug := cs["id"].(string), cs["slug"].(string)
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 20 {
					url := iri
					if i%2 == 0 {
						url = n.URL + "/actors/org"
					}
					r := getIf(t, url, nil)
					if r.Status != http.StatusOK || r.Map(t)["id"] != url {
						t.Errorf("GET %s: %d", url, r.Status)
						return
					}
				}
			}()
		}
		body := testrig.CaseStudyBody()
		for i := range 5 {
			body["title"] = "Edit " + string(rune('a'+i))
			if r := n.API(t, http.MethodPut, "/case-studies/"+slug, body); r.Status != http.StatusOK {
				t.Errorf("PUT: %d %s", r.Status, r.Body)
			}
		}
		wg.Wait()
		if m := getIf(t, iri, nil).Map(t); m["name"] != "Edit e" {
			t.Errorf("after the edits: %v", m["name"])
		}
	})
}
