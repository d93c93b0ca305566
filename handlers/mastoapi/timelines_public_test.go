package mastoapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/pollen-coop/pollen/testrig"
)

// publishN publishes n case studies, one a day from 1 March 2024, the
// first with an image; it returns nothing but fails the test on error.
func publishN(t *testing.T, node *testrig.Node, n int) {
	t.Helper()
	for i := range n {
		body := testrig.CaseStudyBody()
		body["title"] = fmt.Sprintf("Case study %d", i)
		body["published"] = time.Date(2024, 3, 1+i, 9, 0, 0, 0, time.UTC).Format(time.RFC3339)
		if i == 0 {
			body["attachments"] = []map[string]any{{"url": "https://example.org/a.png", "media_type": "image/png", "name": "A photo"}}
		}
		node.Publish(t, body)
	}
}

// statusShape checks a Status against Mastodon's documentation.
func statusShape(t *testing.T, s map[string]any) {
	t.Helper()
	for _, k := range []string{"id", "uri", "url", "created_at", "content", "visibility", "spoiler_text"} {
		if _, ok := s[k].(string); !ok {
			t.Errorf("status %s = %#v, want a string", k, s[k])
		}
	}
	if !regexp.MustCompile(`^\d+$`).MatchString(s["id"].(string)) {
		t.Errorf("id %v, want a numeric string", s["id"])
	}
	for _, k := range []string{"sensitive"} {
		if _, ok := s[k].(bool); !ok {
			t.Errorf("status %s = %#v, want a bool", k, s[k])
		}
	}
	for _, k := range []string{"reblogs_count", "favourites_count", "replies_count"} {
		if _, ok := s[k].(float64); !ok {
			t.Errorf("status %s = %#v, want a number", k, s[k])
		}
	}
	for _, k := range []string{"media_attachments", "mentions", "tags", "emojis"} {
		if _, ok := s[k].([]any); !ok {
			t.Errorf("status %s = %#v, want an array", k, s[k])
		}
	}
	for _, k := range []string{"in_reply_to_id", "in_reply_to_account_id", "reblog", "poll", "language", "edited_at"} {
		if _, ok := s[k]; !ok {
			t.Errorf("status has no %s", k)
		}
	}
	if _, ok := s["account"].(map[string]any); !ok {
		t.Errorf("status account = %#v", s["account"])
	}
	if s["visibility"] != "public" || s["spoiler_text"] != "" {
		t.Errorf("visibility %v, spoiler_text %q", s["visibility"], s["spoiler_text"])
	}
}

// getList fetches a timeline page without a token.
func getList(t *testing.T, url string) ([]map[string]any, http.Header) {
	t.Helper()
	r := testrig.Do(t, http.MethodGet, url, nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s = %d %s", url, r.Status, r.Body)
	}
	var out []map[string]any
	if err := json.Unmarshal(r.Body, &out); err != nil {
		t.Fatal(err)
	}
	return out, r.Header
}

func titles(list []map[string]any) string {
	var out []string
	for _, s := range list {
		out = append(out, s["card"].(map[string]any)["title"].(string))
	}
	return strings.Join(out, ",")
}

// TestTimelinePublic: the regional feed, its Status shape, its filters.
func TestTimelinePublic(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		publishN(t, n, 2)
		n.SaveRemoteCaseStudy(t, testrig.RemoteCaseStudy{
			Host: "remote.example:8443", Handle: "alice", Name: "Alice Council", Title: "Remote pools", Summary: "Remote summary",
			ServiceArea: "leisure", Tags: []string{"pools"}, Published: time.Date(2024, 3, 15, 9, 0, 0, 0, time.UTC),
		})
		all, _ := getList(t, n.URL+"/api/v1/timelines/public")
		if got := titles(all); got != "Remote pools,Case study 1,Case study 0" {
			t.Fatalf("timeline = %s", got)
		}
		for _, s := range all {
			statusShape(t, s)
		}
		local := all[2]
		if !strings.Contains(local["content"].(string), "<strong>Case study 0</strong>") ||
			!strings.Contains(local["content"].(string), local["url"].(string)) {
			t.Errorf("content = %s", local["content"])
		}
		media := local["media_attachments"].([]any)
		if len(media) != 1 || media[0].(map[string]any)["type"] != "image" {
			t.Errorf("media = %v", media)
		}
		if acc := local["account"].(map[string]any); acc["acct"] != "org" {
			t.Errorf("local account = %v", acc)
		}
		if local["created_at"] != "2024-03-01T09:00:00.000Z" {
			t.Errorf("created_at = %v", local["created_at"])
		}
		remote := all[0]
		if acc := remote["account"].(map[string]any); acc["acct"] != "alice@remote.example:8443" || acc["username"] != "alice" {
			t.Errorf("remote account = %v", acc)
		}
		tags, _ := json.Marshal(remote["tags"])
		if !strings.Contains(string(tags), `"leisure"`) || !strings.Contains(string(tags), `"pools"`) {
			t.Errorf("tags = %s", tags)
		}
		if remote["uri"] != "https://remote.example:8443/articles/remote-pools" {
			t.Errorf("uri = %v", remote["uri"])
		}
		if l, _ := getList(t, n.URL+"/api/v1/timelines/public?local=true"); titles(l) != "Case study 1,Case study 0" {
			t.Errorf("local = %s", titles(l))
		}
		if l, _ := getList(t, n.URL+"/api/v1/timelines/public?remote=1"); titles(l) != "Remote pools" {
			t.Errorf("remote = %s", titles(l))
		}
	})
}

// linkURL is the URL of rel in a Link header.
func linkURL(t *testing.T, h http.Header, rel string) string {
	t.Helper()
	m := regexp.MustCompile(`<([^>]+)>; rel="` + rel + `"`).FindStringSubmatch(h.Get("Link"))
	if m == nil {
		t.Fatalf("Link %q has no %s", h.Get("Link"), rel)
	}
	return m[1]
}

// TestTimelinePublicPaging: pages by max_id and min_id, following the
// Link header, and since_id.
func TestTimelinePublicPaging(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		publishN(t, n, 5)
		page1, h := getList(t, n.URL+"/api/v1/timelines/public?limit=2")
		if titles(page1) != "Case study 4,Case study 3" {
			t.Fatalf("page 1 = %s", titles(page1))
		}
		page2, h2 := getList(t, linkURL(t, h, "next"))
		if titles(page2) != "Case study 2,Case study 1" {
			t.Fatalf("page 2 = %s", titles(page2))
		}
		page3, _ := getList(t, linkURL(t, h2, "next"))
		if titles(page3) != "Case study 0" {
			t.Fatalf("page 3 = %s", titles(page3))
		}
		back, _ := getList(t, linkURL(t, h2, "prev"))
		if titles(back) != "Case study 4,Case study 3" {
			t.Errorf("prev of page 2 = %s", titles(back))
		}
		oldest := page3[0]["id"].(string)
		if l, _ := getList(t, n.URL+"/api/v1/timelines/public?limit=2&min_id="+oldest); titles(l) != "Case study 2,Case study 1" {
			t.Errorf("min_id = %s", titles(l))
		}
		if l, _ := getList(t, n.URL+"/api/v1/timelines/public?since_id="+page2[0]["id"].(string)); titles(l) != "Case study 4,Case study 3" {
			t.Errorf("since_id = %s", titles(l))
		}
		if page1[0]["id"].(string) <= page1[1]["id"].(string) && len(page1[0]["id"].(string)) == len(page1[1]["id"].(string)) {
			t.Errorf("ids %v, %v not in publication order", page1[0]["id"], page1[1]["id"])
		}
		r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/timelines/public?max_id=abc", nil, nil)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("max_id=abc = %d", r.Status)
		}
	})
}

// TestStatusGet: a case study by its status id; an unknown id is a JSON 404.
func TestStatusGet(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		publishN(t, n, 1)
		list, _ := getList(t, n.URL+"/api/v1/timelines/public")
		id := list[0]["id"].(string)
		r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/statuses/"+id, nil, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("GET statuses/%s = %d %s", id, r.Status, r.Body)
		}
		s := r.Map(t)
		statusShape(t, s)
		if s["id"] != id || s["uri"] != list[0]["uri"] {
			t.Errorf("status = %v", s)
		}
		for _, bad := range []string{"1", "abc", id + "1"} {
			testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+"/api/v1/statuses/"+bad, nil, nil), http.StatusNotFound)
		}
	})
}

// TestGoMastodonTimelinePublic: mattn/go-mastodon reads the regional feed.
func TestGoMastodonTimelinePublic(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	publishN(t, n, 2)
	c := mastodon.NewClient(&mastodon.Config{Server: n.URL})
	list, err := c.GetTimelinePublic(context.Background(), true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Account.Acct != "org" || list[0].Card == nil || list[0].Card.Title != "Case study 1" ||
		list[1].MediaAttachments[0].Type != "image" || len(list[0].Tags) == 0 {
		t.Errorf("timeline = %+v", list)
	}
}
