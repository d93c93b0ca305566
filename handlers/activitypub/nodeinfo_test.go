package activitypub_test

import (
	"net/http"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

func TestNodeInfo(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		n.Publish(t, testrig.CaseStudyBody())
		r := testrig.Do(t, http.MethodGet, n.URL+"/.well-known/nodeinfo", nil, nil)
		var links struct{ Links []struct{ Rel, Href string } }
		r.Decode(t, &links)
		found := map[string]string{}
		for _, l := range links.Links {
			found[l.Rel] = l.Href
		}
		for _, v := range []string{"2.0", "2.1"} {
			rel := "http://nodeinfo.diaspora.software/ns/schema/" + v
			if found[rel] != n.URL+"/nodeinfo/"+v {
				t.Errorf("nodeinfo links: %s → %q", rel, found[rel])
			}
			r := testrig.Do(t, http.MethodGet, found[rel], nil, nil)
			if r.Status != http.StatusOK {
				t.Fatalf("nodeinfo %s = %d %s", v, r.Status, r.Body)
			}
			wantCT := `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/` + v + `#"`
			if ct := r.Header.Get("Content-Type"); ct != wantCT {
				t.Errorf("nodeinfo %s Content-Type %q, want %q", v, ct, wantCT)
			}
			var ni struct {
				Version   string
				Software  struct{ Name, Version string }
				Protocols []string
				Usage     struct{ LocalPosts int }
				Metadata  map[string]any
			}
			r.Decode(t, &ni)
			if ni.Version != v || ni.Software.Name != "pollen" || ni.Software.Version == "" ||
				len(ni.Protocols) != 1 || ni.Protocols[0] != "activitypub" || ni.Usage.LocalPosts != 1 {
				t.Errorf("nodeinfo %s = %s", v, r.Body)
			}
			if ni.Metadata["organisationType"] != "council" || ni.Metadata["region"] != "North West" || ni.Metadata["role"] != "node" {
				t.Errorf("nodeinfo %s metadata = %v", v, ni.Metadata)
			}
			if up, _ := ni.Metadata["upstream"].(map[string]any); up["name"] != "mastodon" {
				t.Errorf("nodeinfo %s metadata.upstream = %v, want name mastodon", v, ni.Metadata["upstream"])
			}
		}
		testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+"/nodeinfo/1.0", nil, nil), http.StatusNotFound)
	})
}
