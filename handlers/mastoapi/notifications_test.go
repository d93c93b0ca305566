package mastoapi_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/mattn/go-mastodon"

	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// notify gives the node four notifications: alice and carol follow it,
// alice replies to its case study (a mention), bob announces it (a
// reblog). It returns the case study's status id.
func notify(t *testing.T, n *testrig.Node) string {
	t.Helper()
	alice, bob := testrig.StartRemote(t), testrig.StartRemote(t)
	carol := alice.AddActor(t, "carol", "Carol")
	alice.Follow(t, n)
	carol.Follow(t, n)
	cs := n.Publish(t, testrig.CaseStudyBody())
	iri := cs["id"].(string)
	org := n.URL + "/actors/" + n.Config.Handle
	for i, a := range []struct {
		rm   *testrig.Remote
		body map[string]any
	}{
		{alice, map[string]any{"id": alice.ActorIRI + "/activities/1", "type": "Create", "actor": alice.ActorIRI,
			"object": map[string]any{"id": alice.ActorIRI + "/notes/1", "type": "Note", "attributedTo": alice.ActorIRI,
				"inReplyTo": iri, "content": "<p>Thanks</p>", "to": "as:Public", "cc": org}}},
		{bob, map[string]any{"id": bob.ActorIRI + "/announces/1", "type": "Announce", "actor": bob.ActorIRI, "object": iri, "cc": org}},
	} {
		if r := a.rm.Post(t, n.URL+"/inbox", a.body); r.Status != http.StatusAccepted {
			t.Fatalf("%s: %d %s", a.body["id"], r.Status, r.Body)
		}
		want := 3 + i
		testrig.Eventually(t, fmt.Sprintf("%d notifications", want), func() bool {
			list, err := n.Notifications.List(context.Background(), service.NotificationFilter{})
			return err == nil && len(list) == want
		})
	}
	row, err := n.Store.CaseStudies.ByIRI(context.Background(), iri)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(row.StatusID, 10)
}

// TestNotifications: the organisation's notifications through
// go-mastodon, newest first, with their accounts and statuses, filtered
// and paged; one by id, dismissed, cleared; unknown ids are 404s and a
// token without the scope a 403.
func TestNotifications(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db})
		csStatus := notify(t, n)
		read := userToken(t, n, access.RoleEditor, "read:notifications")
		c := mastodon.NewClient(&mastodon.Config{Server: n.URL, AccessToken: read})
		ctx := context.Background()
		list, err := c.GetNotifications(ctx, nil)
		if err != nil || len(list) != 4 {
			t.Fatalf("GetNotifications = %v, %v", list, err)
		}
		var types []string
		for _, x := range list {
			types = append(types, x.Type)
			switch x.Type {
			case "reblog":
				if x.Status == nil || string(x.Status.ID) != csStatus || x.Account.Username != "alice" {
					t.Errorf("reblog = %+v (status %+v)", x, x.Status)
				}
			case "mention":
				if x.Status == nil || x.Status.Content != "<p>Thanks</p>" || x.Status.InReplyToID != csStatus || x.Account.Username != "alice" {
					t.Errorf("mention = %+v (status %+v)", x, x.Status)
				}
			case "follow":
				if x.Status != nil {
					t.Errorf("follow with a status: %+v", x.Status)
				}
			}
		}
		if !slices.Equal(types, []string{"reblog", "mention", "follow", "follow"}) {
			t.Errorf("types newest first = %v", types)
		}

		// Filters and pages.
		pg := &mastodon.Pagination{Limit: 3}
		first, err := c.GetNotifications(ctx, pg)
		if err != nil || len(first) != 3 || pg.MaxID == "" {
			t.Fatalf("first page = %d, %v, next %q", len(first), err, pg.MaxID)
		}
		second, err := c.GetNotifications(ctx, &mastodon.Pagination{MaxID: pg.MaxID, Limit: 3})
		if err != nil || len(second) != 1 || second[0].ID != list[3].ID {
			t.Fatalf("second page = %v, %v", second, err)
		}
		for _, tc := range []struct {
			query string
			want  int
		}{
			{"types[]=mention", 1}, {"types[]=follow&types[]=reblog", 3}, {"exclude_types[]=follow", 2},
			{"min_id=" + string(list[3].ID), 3}, {"since_id=" + string(list[1].ID), 1}, {"limit=500", 4},
		} {
			r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/notifications?"+tc.query, nil, bearer(read))
			var got []map[string]any
			if r.Status != http.StatusOK {
				t.Errorf("%s: %d %s", tc.query, r.Status, r.Body)
				continue
			}
			r.Decode(t, &got)
			if len(got) != tc.want {
				t.Errorf("%s: %d notifications, want %d", tc.query, len(got), tc.want)
			}
		}

		// One, and bad input.
		if got, err := c.GetNotification(ctx, list[1].ID); err != nil || got.Type != "mention" {
			t.Errorf("GetNotification = %+v, %v", got, err)
		}
		for _, tc := range []struct {
			method, path, token string
			status              int
		}{
			{http.MethodGet, "/api/v1/notifications/999999", read, http.StatusNotFound},
			{http.MethodGet, "/api/v1/notifications/nope", read, http.StatusNotFound},
			{http.MethodGet, "/api/v1/notifications?max_id=nope", read, http.StatusBadRequest},
			{http.MethodPost, "/api/v1/notifications/999999/dismiss", n.Token, http.StatusNotFound},
			{http.MethodGet, "/api/v1/notifications", userToken(t, n, access.RoleEditor, "read:statuses"), http.StatusForbidden},
			{http.MethodPost, "/api/v1/notifications/" + string(list[0].ID) + "/dismiss", read, http.StatusForbidden},
			{http.MethodPost, "/api/v1/notifications/clear", read, http.StatusForbidden},
			{http.MethodGet, "/api/v1/notifications", "", http.StatusUnauthorized},
		} {
			r := testrig.Do(t, tc.method, n.URL+tc.path, nil, bearer(tc.token))
			if r.Status != tc.status {
				t.Errorf("%s %s = %d %s, want %d", tc.method, tc.path, r.Status, r.Body, tc.status)
			}
		}
		if got, _ := c.GetNotifications(ctx, nil); len(got) != 4 {
			t.Errorf("after refusals %d notifications, want 4", len(got))
		}

		write := mastodon.NewClient(&mastodon.Config{Server: n.URL, AccessToken: userToken(t, n, access.RoleEditor, "write:notifications")})
		if err := write.DismissNotification(ctx, list[0].ID); err != nil {
			t.Fatalf("DismissNotification: %v", err)
		}
		if got, _ := c.GetNotifications(ctx, nil); len(got) != 3 || got[0].ID != list[1].ID {
			t.Errorf("after dismissing: %d notifications", len(got))
		}
		if err := write.DismissNotification(ctx, list[0].ID); err == nil {
			t.Errorf("dismissing twice succeeded")
		}
		if err := write.ClearNotifications(ctx); err != nil {
			t.Fatalf("ClearNotifications: %v", err)
		}
		if got, err := c.GetNotifications(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("after clearing: %v, %v", got, err)
		}
	})
}
