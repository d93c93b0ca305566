package mastoapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/pollen-coop/pollen/testrig"
)

// TestStatusContext: a case study's discussion as its descendants, in
// publication order; a reply's ancestor, the case study; a JSON 404 for an
// unknown or malformed id.
func TestStatusContext(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		cs := n.Publish(t, testrig.CaseStudyBody())
		at := func(day int) time.Time { return time.Date(2024, 5, day, 9, 0, 0, 0, time.UTC) }
		n.SaveReply(t, cs["slug"].(string), testrig.Reply{Host: "remote.example", Handle: "bob", Name: "Bob",
			IRI: "https://remote.example/notes/1", Content: "<p>first</p>", Published: at(1)})
		n.SaveReply(t, cs["slug"].(string), testrig.Reply{Host: "remote.example", Handle: "bob", Name: "Bob",
			IRI: "https://remote.example/notes/3", Content: "<p>third</p>", Published: at(3)})
		ctx := context.Background()
		list, _ := getList(t, n.URL+"/api/v1/timelines/public")
		var csID, replyID string
		for _, s := range list {
			switch s["content"] {
			case "<p>third</p>":
				replyID = s["id"].(string)
			default:
				if s["uri"] == cs["iri"] || s["card"] != nil {
					csID = s["id"].(string)
				}
			}
		}
		thread := contextOf(t, n, csID)
		if got := contents(thread["descendants"]); got != "<p>first</p>,<p>third</p>" || len(thread["ancestors"]) != 0 {
			t.Errorf("context of the case study = %s, %d ancestors", got, len(thread["ancestors"]))
		}
		up := contextOf(t, n, replyID)
		if len(up["ancestors"]) != 1 || up["ancestors"][0]["id"] != csID || len(up["descendants"]) != 0 {
			t.Errorf("context of the nested reply = %v", up)
		}
		for _, bad := range []string{"1", "abc", "-1"} {
			testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+"/api/v1/statuses/"+bad+"/context", nil, nil), http.StatusNotFound)
		}
		c := mastodon.NewClient(&mastodon.Config{Server: n.URL})
		got, err := c.GetStatusContext(ctx, mastodon.ID(replyID))
		if err != nil || len(got.Ancestors) != 1 || got.Ancestors[0].ID != mastodon.ID(csID) || len(got.Descendants) != 0 {
			t.Errorf("go-mastodon context = %+v, %v", got, err)
		}
	})
}

// contextOf reads the Context of the status id.
func contextOf(t *testing.T, n *testrig.Node, id string) map[string][]map[string]any {
	t.Helper()
	r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/statuses/"+id+"/context", nil, nil)
	var out map[string][]map[string]any
	if r.Decode(t, &out); r.Status != http.StatusOK || out["ancestors"] == nil || out["descendants"] == nil {
		t.Fatalf("context of %s = %d %s", id, r.Status, r.Body)
	}
	return out
}

// contents are the contents of statuses, joined by commas.
func contents(list []map[string]any) string {
	var out string
	for i, s := range list {
		if i > 0 {
			out += ","
		}
		out += s["content"].(string)
	}
	return out
}
