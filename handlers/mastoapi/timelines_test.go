package mastoapi_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// getAuthList fetches a timeline page with a bearer token.
func getAuthList(t *testing.T, url, token string) []map[string]any {
	t.Helper()
	r := testrig.Do(t, http.MethodGet, url, nil, bearer(token))
	var out []map[string]any
	if r.Decode(t, &out); r.Status != http.StatusOK {
		t.Fatalf("GET %s = %d %s", url, r.Status, r.Body)
	}
	return out
}

// TestTimelineHome: the organisation's home timeline holds our case
// studies and those of the peer we follow, delivered by a real node, and
// no stranger's; after the unfollow the peer's leave it, past ones too.
// It needs a user token with read:statuses.
func TestTimelineHome(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		ours := testrig.CaseStudyBody()
		ours["title"] = "Our libraries"
		n.Publish(t, ours)
		n.SaveRemoteCaseStudy(t, testrig.RemoteCaseStudy{Host: "stranger.example", Handle: "x", Name: "Stranger",
			Title: "Stranger pools", ServiceArea: "leisure", Published: time.Date(2024, 4, 1, 9, 0, 0, 0, time.UTC)})
		peer := startPeer(t)
		r := n.API(t, http.MethodPost, "/follows", map[string]any{"target": "@org@" + strings.TrimPrefix(peer.URL, "http://")})
		if r.Status != http.StatusAccepted {
			t.Fatalf("follow the peer: %d %s", r.Status, r.Body)
		}
		followID := r.Map(t)["id"]
		peerPublishes(t, n, peer, "Peer pools")

		path := n.URL + "/api/v1/timelines/home"
		testrig.WantError(t, testrig.Do(t, http.MethodGet, path, nil, nil), http.StatusUnauthorized)
		testrig.WantError(t, testrig.Do(t, http.MethodGet, path, nil, bearer(appToken(t, n, "write"))), http.StatusForbidden)
		token := userToken(t, n, access.RoleEditor, "read:statuses")
		home := getAuthList(t, path, token)
		got := titles(home)
		if !strings.Contains(got, "Peer pools") || !strings.Contains(got, "Our libraries") || strings.Contains(got, "Stranger") {
			t.Fatalf("home = %s, want the peer's and ours, no stranger's", got)
		}
		for _, s := range home {
			statusShape(t, s)
		}
		testrig.WantError(t, testrig.Do(t, http.MethodGet, path+"?max_id=12x", nil, bearer(token)), http.StatusUnprocessableEntity, "max_id")

		c := mastodon.NewClient(&mastodon.Config{Server: n.URL, AccessToken: token})
		list, err := c.GetTimelineHome(context.Background(), nil)
		if err != nil || len(list) != len(home) || list[0].ID != mastodon.ID(home[0]["id"].(string)) {
			t.Errorf("go-mastodon home = %d statuses, %v", len(list), err)
		}

		if r := n.API(t, http.MethodDelete, "/follows/"+jsonNumber(followID), nil); r.Status >= 300 {
			t.Fatalf("unfollow: %d %s", r.Status, r.Body)
		}
		if got := titles(getAuthList(t, path, token)); got != "Our libraries" {
			t.Errorf("home after the unfollow = %s, want ours only", got)
		}
	})
}

// jsonNumber is a JSON number (an id) as its decimal digits.
func jsonNumber(v any) string {
	f, _ := v.(float64)
	return strconv.FormatInt(int64(f), 10)
}

// TestTimelineTag: a hashtag's timeline holds the case studies whose
// service area or tags match it, in any case, narrowed by local and
// remote; go-mastodon reads it.
func TestTimelineTag(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		n.Publish(t, testrig.CaseStudyBody()) // service area libraries, tags Libraries and mutuals
		pools := testrig.CaseStudyBody()
		pools["title"], pools["service_area"], pools["tags"] = "Our pools", "leisure", []string{"SwimmingPools"}
		pools["published"] = "2024-03-02T09:00:00Z"
		n.Publish(t, pools)
		n.SaveRemoteCaseStudy(t, testrig.RemoteCaseStudy{Host: "remote.example", Handle: "alice", Name: "Alice",
			Title: "Remote lido", ServiceArea: "Leisure", Tags: []string{"lidos"}, Published: time.Date(2024, 4, 1, 9, 0, 0, 0, time.UTC)})
		for path, want := range map[string]string{
			"Libraries":                "Keeping the libraries open",
			"LIBRARIES":                "Keeping the libraries open",
			"mutuals":                  "Keeping the libraries open",
			"swimmingpools":            "Our pools",
			"leisure":                  "Remote lido,Our pools",
			"Leisure?local=true":       "Our pools",
			"leisure?remote=1":         "Remote lido",
			"leisure?any[]=lidos":      "Remote lido,Our pools",
			"nothing":                  "",
			"leisure?limit=1&max_id=0": "Remote lido",
		} {
			list, _ := getList(t, n.URL+"/api/v1/timelines/tag/"+path)
			if got := titles(list); got != want {
				t.Errorf("tag/%s = %q, want %q", path, got, want)
			}
		}
		testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+"/api/v1/timelines/tag/leisure?since_id=-5", nil, nil),
			http.StatusUnprocessableEntity, "since_id")
		c := mastodon.NewClient(&mastodon.Config{Server: n.URL})
		list, err := c.GetTimelineHashtag(context.Background(), "Leisure", true, nil)
		if err != nil || len(list) != 1 || list[0].Card == nil || list[0].Card.Title != "Our pools" {
			t.Errorf("go-mastodon tag = %+v, %v", list, err)
		}
	})
}

// TestAccountStatuses: an account's statuses with their filters; pinned
// is empty; unknown accounts are a JSON 404, malformed ids a 422.
func TestAccountStatuses(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		publishN(t, n, 3) // the first has an image
		body := testrig.CaseStudyBody()
		body["published"] = "2024-04-01T09:00:00Z"
		cs := n.Publish(t, body)
		reply := testrig.Reply{Host: "remote.example", Handle: "bob", Name: "Bob", IRI: "https://remote.example/notes/1",
			Content: "<p>Thanks</p>", Published: time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)}
		n.SaveReply(t, cs["slug"].(string), reply)
		org := getAccount(t, n, "/api/v1/accounts/lookup?acct=org")["id"].(string)
		bob := getAccount(t, n, "/api/v1/accounts/lookup?acct=bob@remote.example")["id"].(string)
		base := n.URL + "/api/v1/accounts/"
		for path, want := range map[string]string{
			org + "/statuses":                      "Keeping the libraries open,Case study 2,Case study 1,Case study 0",
			org + "/statuses?only_media=true":      "Case study 0",
			org + "/statuses?pinned=true":          "",
			org + "/statuses?tagged=Mutuals":       "Keeping the libraries open,Case study 2,Case study 1,Case study 0",
			org + "/statuses?tagged=nothing":       "",
			org + "/statuses?exclude_reblogs=true": "Keeping the libraries open,Case study 2,Case study 1,Case study 0",
		} {
			list, _ := getList(t, base+path)
			if got := titles(list); got != want {
				t.Errorf("%s = %q, want %q", path, got, want)
			}
		}
		if list, _ := getList(t, base+bob+"/statuses"); len(list) != 1 || list[0]["content"] != "<p>Thanks</p>" {
			t.Errorf("bob's statuses = %v", list)
		}
		if list, _ := getList(t, base+bob+"/statuses?exclude_replies=1"); len(list) != 0 {
			t.Errorf("bob's statuses without replies = %v", list)
		}
		for _, bad := range []string{"999999", "abc", "0"} {
			testrig.WantError(t, testrig.Do(t, http.MethodGet, base+bad+"/statuses", nil, nil), http.StatusNotFound)
		}
		testrig.WantError(t, testrig.Do(t, http.MethodGet, base+org+"/statuses?min_id=x", nil, nil), http.StatusUnprocessableEntity, "min_id")
		c := mastodon.NewClient(&mastodon.Config{Server: n.URL})
		list, err := c.GetAccountStatuses(context.Background(), mastodon.ID(org), &mastodon.Pagination{Limit: 2})
		if err != nil || len(list) != 2 || list[0].Card == nil || list[0].Card.Title != "Keeping the libraries open" {
			t.Errorf("go-mastodon account statuses = %+v, %v", list, err)
		}
	})
}

// walk follows the next links of a timeline from url, with token (may be
// ""), and returns the ids met, in order; it checks that every link keeps
// keep.
func walk(t *testing.T, url, token, keep string) []string {
	t.Helper()
	var ids []string
	for pages := 0; url != "" && pages < 20; pages++ {
		r := testrig.Do(t, http.MethodGet, url, nil, bearer(token))
		var list []map[string]any
		if r.Decode(t, &list); r.Status != http.StatusOK {
			t.Fatalf("GET %s = %d %s", url, r.Status, r.Body)
		}
		url = ""
		if len(list) > 0 {
			url = linkURL(t, r.Header, "next")
			if !strings.Contains(url, keep) || !strings.Contains(linkURL(t, r.Header, "prev"), keep) {
				t.Errorf("Link %s does not keep %s", r.Header.Get("Link"), keep)
			}
		}
		for _, s := range list {
			ids = append(ids, s["id"].(string))
		}
	}
	return ids
}

// TestTimelinePaging: following the Link headers of each timeline reaches
// every status once, newest first, keeping the timeline's parameters; a
// max_id deep in the history gives what lies below it.
func TestTimelinePaging(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		publishN(t, n, 7)
		token := userToken(t, n, access.RoleEditor, "read")
		org := getAccount(t, n, "/api/v1/accounts/lookup?acct=org")["id"].(string)
		all, _ := getList(t, n.URL+"/api/v1/timelines/public?limit=40")
		if len(all) != 7 {
			t.Fatalf("public = %d statuses", len(all))
		}
		var want []string
		for _, s := range all {
			want = append(want, s["id"].(string))
		}
		for _, c := range []struct{ path, keep string }{
			{"/api/v1/timelines/public?limit=3&local=true", "local=true"},
			{"/api/v1/timelines/home?limit=3", "limit=3"},
			{"/api/v1/timelines/tag/Libraries?limit=3&remote=false", "remote=false"},
			{"/api/v1/accounts/" + org + "/statuses?limit=3&tagged=mutuals&exclude_replies=true", "tagged=mutuals"},
		} {
			if got := walk(t, n.URL+c.path, token, c.keep); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s walked %v, want %v", c.path, got, want)
			}
		}
		if deep := getAuthList(t, n.URL+"/api/v1/timelines/home?max_id="+want[5], token); len(deep) != 1 || deep[0]["id"] != want[6] {
			t.Errorf("home below %s = %v, want %s", want[5], deep, want[6])
		}
		if deep, _ := getList(t, n.URL+"/api/v1/timelines/public?limit=2&max_id="+want[3]); len(deep) != 2 || deep[0]["id"] != want[4] {
			t.Errorf("public below %s = %v, want %s first", want[3], deep, want[4])
		}
	})
}
