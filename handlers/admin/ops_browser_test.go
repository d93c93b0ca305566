package admin_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// The tests below go through the admin area's pages beyond the case
// studies in headless Chromium without script, and have axe-core check
// each in the states that matter: empty, with items, a form with errors,
// a confirmation. Each has a browser of its own, so that each stays
// within testrig.BrowserTimeout.

func TestFollowsInBrowser(t *testing.T) {
	fan := testrig.StartRemote(t)
	ctx, n := adminBrowser(t, "/admin/follows")
	browseFollows(t, ctx, n, fan)
}

func TestDiscussionInBrowser(t *testing.T) {
	ctx, n := adminBrowser(t, "/admin/discussion")
	browseDiscussion(t, ctx, n)
}

func TestDeliveriesInBrowser(t *testing.T) {
	ctx, n := adminBrowser(t, "/admin/deliveries")
	browseDeliveries(t, ctx, n)
}

func TestUsersInBrowser(t *testing.T) {
	ctx, n := adminBrowser(t, "/admin/users")
	browseUsers(t, ctx, n)
}

// adminBrowser starts Chromium and a node that approves its followers by
// hand, and signs in as its admin, landing on path.
func adminBrowser(t *testing.T, path string) (context.Context, *testrig.Node) {
	t.Helper()
	ctx := testrig.Browser(t)
	n := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) { c.ManuallyApprovesFollowers = true }})
	addUser(t, n, "asha@example.org", access.RoleAdmin)
	testrig.Load(t, ctx, n.URL+"/sign-in?next="+path)
	typeInto(t, ctx, "#email", "asha@example.org")
	typeInto(t, ctx, "#password", password)
	testrig.Click(t, ctx, "button[type=submit]")
	testrig.Expect(t, ctx, "signed in", `location.pathname`, path)
	return ctx, n
}

// browseFollows follows a peer, and approves the follow request of fan,
// which stays a follower.
func browseFollows(t *testing.T, ctx context.Context, n *testrig.Node, fan *testrig.Remote) {
	checkAdminPage(t, ctx, "the empty follows")
	testrig.Click(t, ctx, "main form button[type=submit]")
	testrig.Expect(t, ctx, "follow error", `document.querySelector(".govuk-error-summary a").getAttribute("href")`, "#target")
	checkAdminPage(t, ctx, "the follow form with an error")

	peer := testrig.StartRemote(t)
	typeInto(t, ctx, "#target", peer.ActorIRI)
	testrig.Click(t, ctx, "main form button[type=submit]")
	testrig.Expect(t, ctx, "followed", `document.querySelectorAll("#following tbody tr").length`, 1.0)
	r := fan.Post(t, n.URL+"/inbox", map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
		"id": fan.ActorIRI + "/follows/1", "type": "Follow", "actor": fan.ActorIRI, "object": n.URL + "/actors/" + n.Config.Handle})
	if r.Status != http.StatusAccepted {
		t.Fatalf("Follow: %d", r.Status)
	}
	testrig.Eventually(t, "the request listed", func() bool {
		testrig.Load(t, ctx, n.URL+"/admin/follows")
		return followersShown(ctx)
	})
	checkAdminPage(t, ctx, "the follows with a request")
	testrig.Click(t, ctx, `#followers button.govuk-button--secondary`)
	testrig.Expect(t, ctx, "approved", `document.querySelector("#followers strong.govuk-tag").textContent`, "Accepted")
	checkAdminPage(t, ctx, "the follows after approving")
	testrig.Click(t, ctx, `#followers a[href$="/remove"]`)
	checkAdminPage(t, ctx, "the confirmation of removing a follower")
}

// followersShown reports whether the followers table is on the page.
func followersShown(ctx context.Context) bool {
	n, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelectorAll("#followers tbody tr").length`))
	return err == nil && n == 1
}

func browseDiscussion(t *testing.T, ctx context.Context, n *testrig.Node) {
	checkAdminPage(t, ctx, "the empty discussion")
	n.Publish(t, testrig.CaseStudyBody())
	n.SaveReply(t, "keeping-the-libraries-open", testrig.Reply{Host: "council.example", Handle: "cat", Name: "Cat",
		IRI: "https://council.example/notes/1", Content: "<p>How did you keep the staff?</p>", Published: time.Now()})
	testrig.Load(t, ctx, n.URL+"/admin/discussion")
	checkAdminPage(t, ctx, "the discussion")
	testrig.Click(t, ctx, "#replies button")
	testrig.Expect(t, ctx, "hidden", `document.querySelector("#replies strong.govuk-tag").textContent`, "Hidden")
	checkAdminPage(t, ctx, "the discussion with a hidden reply")
	testrig.Click(t, ctx, `#replies a[href$="/delete"]`)
	checkAdminPage(t, ctx, "the confirmation of deleting a reply")
}

// browseDeliveries sees the deliveries to a follower that refuses them
// given up.
func browseDeliveries(t *testing.T, ctx context.Context, n *testrig.Node) {
	checkAdminPage(t, ctx, "no deliveries")
	fan, refuse := refusingRemote(t)
	follow(t, n, fan)
	testrig.Eventually(t, "the Accept delivered", func() bool {
		done, err := n.Store.Deliveries.List(context.Background(), "done", 10)
		return err == nil && len(done) == 1
	})
	refuse.Store(true)
	giveUp(t, n, fan, 2)
	testrig.Load(t, ctx, n.URL+"/admin/deliveries")
	checkAdminPage(t, ctx, "the deliveries by host")
	testrig.Click(t, ctx, `#hosts a[href*="host="]`)
	testrig.Expect(t, ctx, "dead jobs", `document.querySelectorAll("#dead tbody tr").length`, 2.0)
	checkAdminPage(t, ctx, "the deliveries given up to a host")
}

func browseUsers(t *testing.T, ctx context.Context, n *testrig.Node) {
	checkAdminPage(t, ctx, "the users")
	typeInto(t, ctx, "#email", "not an email")
	typeInto(t, ctx, "#password", "short")
	testrig.Click(t, ctx, `main form[action="/admin/users"] button[type=submit]`)
	testrig.Expect(t, ctx, "user errors", `[...document.querySelectorAll(".govuk-error-summary a")].map(a => a.getAttribute("href")).join(" ")`, "#email #password")
	checkAdminPage(t, ctx, "the new user form with errors")
	testrig.Click(t, ctx, `#users a[href$="/password"]`)
	checkAdminPage(t, ctx, "the password form")
	testrig.Click(t, ctx, "main form button[type=submit]")
	testrig.Expect(t, ctx, "password error", `document.querySelector(".govuk-error-summary a").getAttribute("href")`, "#password")
	checkAdminPage(t, ctx, "the password form with an error")
}

// follow has rm ask to follow n, and approves it.
func follow(t *testing.T, n *testrig.Node, rm *testrig.Remote) {
	t.Helper()
	r := rm.Post(t, n.URL+"/inbox", map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
		"id": rm.ActorIRI + "/follows/1", "type": "Follow", "actor": rm.ActorIRI, "object": n.URL + "/actors/" + n.Config.Handle})
	if r.Status != http.StatusAccepted {
		t.Fatalf("Follow: %d", r.Status)
	}
	var id int64
	testrig.Eventually(t, "the follow request", func() bool {
		l, err := n.Follows.Followers(context.Background(), "pending", 10, 0)
		if err != nil || len(l.Items) == 0 {
			return false
		}
		id = l.Items[0].ID
		return true
	})
	if _, err := n.Follows.ApproveFollower(context.Background(), id); err != nil {
		t.Fatal(err)
	}
}
