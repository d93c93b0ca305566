package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestDeliveriesPage: the deliveries given up are counted by host and
// listed for one host; an admin retries one, then all of them, and they
// reach the host; a retry with nothing to retry, or without a host, is
// refused. Editors may not come in.
func TestDeliveriesPage(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		addUser(t, n, "asha@example.org", access.RoleAdmin)
		addUser(t, n, "ed@example.org", access.RoleEditor)
		ed := newClient(t, n.URL)
		ed.signIn("ed@example.org")
		if p := ed.get("/admin/deliveries"); p.status != http.StatusForbidden {
			t.Errorf("an editor's GET /admin/deliveries = %d", p.status)
		}
		b := newClient(t, n.URL)
		b.signIn("asha@example.org")
		if p := b.get("/admin/deliveries"); p.status != http.StatusOK || !strings.Contains(p.body, "Nothing is waiting") {
			t.Fatalf("empty deliveries page = %d\n%s", p.status, p.body)
		}

		rm, refuse := refusingFollower(t, n)
		giveUp(t, n, rm, 3)
		refuse.Store(false)
		peer := host(rm.URL)
		p := b.get("/admin/deliveries")
		row := regexp.MustCompile(`(?s)<td class="govuk-table__cell govuk-!-text-break-word">` + regexp.QuoteMeta(peer) + `</td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">0</td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">0</td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">3</td>`)
		if !row.MatchString(p.body) {
			t.Fatalf("deliveries page:\n%s", p.body)
		}
		p = b.get("/admin/deliveries?host=" + url.QueryEscape(peer))
		ids := regexp.MustCompile(`name="id" value="(\d+)"`).FindAllStringSubmatch(p.body, -1)
		if len(ids) != 3 {
			t.Fatalf("dead jobs to %s: %d\n%s", peer, len(ids), p.body)
		}
		if p := b.post("/admin/deliveries", url.Values{"host": {peer}, "id": {ids[0][1]}}); p.status != http.StatusSeeOther {
			t.Fatalf("retry one = %d\n%s", p.status, p.body)
		}
		testrig.Eventually(t, "the retried delivery", func() bool { return len(rm.Received("Create")) == 4 })
		if p := b.post("/admin/deliveries", url.Values{"host": {peer}}); p.status != http.StatusSeeOther {
			t.Fatalf("retry all = %d\n%s", p.status, p.body)
		}
		testrig.Eventually(t, "every retried delivery", func() bool { return len(rm.Received("Create")) == 6 })
		for _, tt := range []struct {
			form   url.Values
			status int
		}{
			{url.Values{"host": {peer}}, http.StatusNotFound},
			{url.Values{"host": {""}}, http.StatusUnprocessableEntity},
			{url.Values{"host": {peer}, "id": {"x"}}, http.StatusUnprocessableEntity},
		} {
			tt.form.Set("csrf_token", b.csrf("/admin/follows"))
			if p := b.do(http.MethodPost, "/admin/deliveries", tt.form); p.status != tt.status {
				t.Errorf("retry %v = %d, want %d", tt.form, p.status, tt.status)
			}
		}
		want := []string{"asha@example.org retried deliveries " + peer, "asha@example.org retried deliveries " + peer,
			"admin token published refused-2", "admin token published refused-1", "admin token published refused-0"}
		if got := auditLines(t, n); !slices.Equal(got, want) {
			t.Errorf("audit log = %q\nwant %q", got, want)
		}
	})
}

// refusingFollower starts a Remote that follows n and then answers 400,
// which gives up a delivery at once, to every activity while refuse is
// set.
func refusingFollower(t *testing.T, n *testrig.Node) (*testrig.Remote, *atomic.Bool) {
	t.Helper()
	rm, refuse := refusingRemote(t)
	rm.Follow(t, n)
	refuse.Store(true)
	return rm, refuse
}

// refusingRemote starts a Remote that answers 400 to every activity while
// refuse is set, 202 otherwise.
func refusingRemote(t *testing.T) (*testrig.Remote, *atomic.Bool) {
	rm := testrig.StartRemote(t)
	refuse := new(atomic.Bool)
	rm.OnInbox = func(w http.ResponseWriter, _ *http.Request, _ testrig.Received) {
		if refuse.Load() {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}
	return rm, refuse
}

// giveUp publishes count case studies on n, whose Creates to the refusing
// follower rm are given up, and waits until they are.
func giveUp(t *testing.T, n *testrig.Node, rm *testrig.Remote, count int) {
	t.Helper()
	before := len(rm.Received("Create"))
	for i := range count {
		body := testrig.CaseStudyBody()
		body["title"] = fmt.Sprintf("Refused %d", i)
		n.Publish(t, body)
	}
	testrig.Eventually(t, "the refused Creates", func() bool { return len(rm.Received("Create")) == before+count })
	testrig.Eventually(t, "the deliveries given up", func() bool {
		jobs, err := n.Store.Deliveries.List(context.Background(), "dead", 100)
		return err == nil && len(jobs) >= count
	})
}
