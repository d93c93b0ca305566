package node_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/topics"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// directoryAccount is what the test reads of a /api/v1/directory entry.
type directoryAccount struct {
	URI    string `json:"uri"`
	Acct   string `json:"acct"`
	Pollen struct {
		Software *struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		} `json:"software"`
		CaseStudies int64  `json:"case_studies"`
		Following   bool   `json:"following"`
		Dead        bool   `json:"dead"`
		Region      string `json:"region"`
	} `json:"pollen"`
}

// directoryOf is a node's directory by actor IRI.
func directoryOf(t *testing.T, n *testrig.Node, query string) map[string]directoryAccount {
	t.Helper()
	var list []directoryAccount
	r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/directory"+query, nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("directory: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &list)
	out := map[string]directoryAccount{}
	for _, a := range list {
		out[a.URI] = a
	}
	return out
}

// publishIn publishes a case study of a service area.
func publishIn(t *testing.T, n *testrig.Node, title, area string) string {
	t.Helper()
	body := caseStudy(title)
	body["service_area"] = area
	return n.Publish(t, body)["id"].(string)
}

// announced is, for each object a Remote received an Announce of, the
// announcers, in order.
func announced(rm *testrig.Remote) map[string][]string {
	out := map[string][]string{}
	for _, g := range rm.Received("Announce") {
		var a struct{ Actor, Object string }
		_ = json.Unmarshal(g.Body, &a)
		out[a.Object] = append(out[a.Object], a.Actor)
	}
	return out
}

// TestHubTopicsAndDirectory: three member nodes and a hub over real HTTP.
// A Pollen node and a Mastodon-like server that follow @libraries@hub
// receive only the library case studies; a server whose inbox follows
// both the hub and @libraries@hub receives each case study once; a
// free-text area gets its own topic actor; the hub's directory lists the
// three nodes with their NodeInfo, and marks one that stops as dead.
func TestHubTopicsAndDirectory(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		members := startNodes(t, db, 3)
		h := testrig.StartNode(t, testrig.Options{DB: testrig.Fresh(t, db.Name), Configure: func(c *config.Config) {
			hub(c)
			c.DirectoryRefresh = 300 * time.Millisecond
		}})
		for _, m := range members {
			follow(t, h, m)
		}
		libsIRI := h.URL + "/actors/libraries"
		reader := testrig.StartNode(t, testrig.Options{DB: testrig.Fresh(t, db.Name), Configure: fast})
		if r := reader.API(t, http.MethodPost, "/follows", map[string]string{"target": "@libraries@" + h.Config.Host()}); r.Status != http.StatusAccepted {
			t.Fatalf("follow @libraries: %d %s", r.Status, r.Body)
		}
		libs := testrig.StartRemote(t)
		libs.FollowAt(t, h.URL, libsIRI)
		both := testrig.StartRemote(t)
		both.Follow(t, h)
		both.FollowAt(t, h.URL, libsIRI)

		a := publishIn(t, members[0], "The library mutual", "libraries")
		b := publishIn(t, members[1], "The leisure trust", "leisure")
		c := publishIn(t, members[2], "Libraries in the hills", "libraries")
		d := publishIn(t, members[1], "Parks as a community company", "Parks and green spaces")
		all := []string{a, b, c, d}
		for _, id := range all {
			testrig.Eventually(t, "the hub stores "+id, func() bool { return inFeed(t, h, id) })
		}
		testrig.Eventually(t, "the hub's queue drains", func() bool { return queueEmpty(t, h) })
		testrig.Eventually(t, "the Mastodon-like follower has both library case studies", func() bool {
			return len(libs.Received("Announce")) >= 2
		})
		testrig.Eventually(t, "the Pollen follower has both library case studies", func() bool {
			return inFeed(t, reader, a) && inFeed(t, reader, c)
		})

		got := announced(libs)
		if len(got) != 2 || len(got[a]) != 1 || len(got[c]) != 1 || got[a][0] != libsIRI || got[c][0] != libsIRI {
			t.Errorf("@libraries' follower got %v, want one Announce of %s and of %s by %s", got, a, c, libsIRI)
		}
		for _, g := range libs.Received("Announce") {
			if obj := g.ID; obj != topics.AnnounceID(libsIRI, a) && obj != topics.AnnounceID(libsIRI, c) {
				t.Errorf("Announce id %s is not the fixed one", obj)
			}
		}
		if f := feed(t, reader); len(f) != 2 {
			t.Errorf("the Pollen follower of @libraries holds %d case studies, want the 2 library ones", len(f))
		}
		hubIRI := h.URL + "/actors/" + h.Config.Handle
		got = announced(both)
		for _, id := range all {
			if len(got[id]) != 1 || got[id][0] != hubIRI {
				t.Errorf("the inbox following the hub and @libraries got Announces of %s by %v, want one, by the hub", id, got[id])
			}
		}
		if len(got) != len(all) {
			t.Errorf("the inbox following both got %d case studies announced, want %d", len(got), len(all))
		}

		// Only the follow of the hub's own actor is notified.
		notes, err := h.Store.Notifications.Page(context.Background(), models.NotificationQuery{Types: []string{models.NotifyFollow}, Limit: 40})
		if err != nil || len(notes) != 1 {
			t.Errorf("the hub has %d follow notifications (%v), want 1: of its own actor's follower, not the topics'", len(notes), err)
		}

		// The free-text area has its topic actor, with its own key.
		wf := testrig.Do(t, http.MethodGet, h.URL+"/.well-known/webfinger?resource=acct:parks-and-green-spaces@"+h.Config.Host(), nil, nil)
		if wf.Status != http.StatusOK {
			t.Errorf("WebFinger of the free-text topic: %d %s", wf.Status, wf.Body)
		}
		doc := testrig.GetAP(t, h.URL+"/actors/parks-and-green-spaces").Map(t)
		if doc["type"] != "Service" || doc["publicKey"] == nil {
			t.Errorf("free-text topic actor = %v", doc)
		}
		outbox := testrig.GetAP(t, libsIRI+"/outbox").Map(t)
		if outbox["totalItems"] != float64(2) {
			t.Errorf("@libraries' outbox totalItems = %v, want 2", outbox["totalItems"])
		}

		// The pages list the topics with their handles.
		for _, path := range []string{"/", "/feed", "/topics/libraries"} {
			page := testrig.Do(t, http.MethodGet, h.URL+path, nil, map[string]string{"Accept": "text/html"})
			if page.Status != http.StatusOK || !strings.Contains(string(page.Body), "@libraries@"+h.Config.Host()) {
				t.Errorf("%s: %d, names @libraries: %v", path, page.Status, strings.Contains(string(page.Body), "@libraries@"))
			}
		}

		// The directory lists the three members, read from their NodeInfo.
		testrig.Eventually(t, "the directory reads the members' NodeInfo", func() bool {
			dir := directoryOf(t, h, "?limit=80")
			for _, m := range members {
				e, ok := dir[m.URL+"/actors/"+m.Config.Handle]
				if !ok || e.Pollen.Software == nil || e.Pollen.Software.Name != "pollen" || !e.Pollen.Following || e.Pollen.CaseStudies == 0 {
					return false
				}
			}
			return len(dir) == 4 // the members and the hub itself
		})
		if self := directoryOf(t, h, "?local=true"); len(self) != 1 {
			t.Errorf("local=true lists %d accounts, want the hub alone", len(self))
		}
		page := testrig.Do(t, http.MethodGet, h.URL+"/directory", nil, map[string]string{"Accept": "text/html"})
		for _, m := range members {
			if !strings.Contains(string(page.Body), handle(m)) {
				t.Errorf("the directory page does not show %s", handle(m))
			}
		}

		// A member that stops answering is marked dead, and kept.
		gone := members[2]
		gone.Stop()
		testrig.Eventually(t, "the stopped member is marked dead", func() bool {
			e, ok := directoryOf(t, h, "?limit=80")[gone.URL+"/actors/"+gone.Config.Handle]
			return ok && e.Pollen.Dead
		})
	})
}
