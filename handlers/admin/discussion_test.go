package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestDiscussionPage: the replies received are listed newest first; a
// hidden one leaves the case study's page, its Article (served from the
// cache before), its replies collection and the Mastodon timeline, and
// comes back when shown again; a deleted one (after its confirmation) is
// gone from the list. Editors moderate too; each change is in the audit
// log.
func TestDiscussionPage(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		addUser(t, n, "ed@example.org", access.RoleEditor)
		b := newClient(t, n.URL)
		b.signIn("ed@example.org")
		if p := b.get("/admin/discussion"); p.status != http.StatusOK || !strings.Contains(p.body, "No replies have been received yet.") {
			t.Fatalf("empty discussion = %d\n%s", p.status, p.body)
		}
		n.Publish(t, testrig.CaseStudyBody())
		slug := "keeping-the-libraries-open"
		at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		spam := testrig.Reply{Host: "spam.example", Handle: "sam", Name: "Sam", IRI: "https://spam.example/notes/1",
			Content: "<p>Buy cheap watches</p>", Published: at.Add(time.Hour)}
		good := testrig.Reply{Host: "council.example", Handle: "cat", Name: "Cat", IRI: "https://council.example/notes/1",
			Content: "<p>How did you keep the staff?</p>", Published: at}
		n.SaveReply(t, slug, good)
		n.SaveReply(t, slug, spam)

		iri := n.URL + "/case-studies/" + slug
		visible := func(want bool) {
			t.Helper()
			html := map[string]string{"Accept": "text/html"}
			for what, body := range map[string]string{
				"page":              string(testrig.Do(t, http.MethodGet, iri, nil, html).Body),
				"Article":           string(testrig.GetAP(t, iri).Body),
				"replies":           string(testrig.GetAP(t, iri+"/replies?page=1").Body),
				"Mastodon timeline": string(testrig.Do(t, http.MethodGet, n.URL+"/api/v1/timelines/public", nil, nil).Body),
			} {
				if has := strings.Contains(body, "cheap watches") || strings.Contains(body, spam.IRI); has != want {
					t.Errorf("the %s shows the reply: %v, want %v\n%s", what, has, want, body)
				}
			}
		}
		visible(true)

		p := b.get("/admin/discussion")
		if i, j := strings.Index(p.body, "Buy cheap watches"), strings.Index(p.body, "How did you keep the staff?"); i < 0 || j < 0 || i > j {
			t.Fatalf("discussion not newest first:\n%s", p.body)
		}
		if !strings.Contains(p.body, `href="/admin/federation?actor=https%3a%2f%2fspam.example%2fusers%2fsam"`) {
			t.Errorf("no link to block the author:\n%s", p.body)
		}
		hide := regexp.MustCompile(`/admin/discussion/(\d+)/hide`).FindStringSubmatch(p.body)
		csrf := csrfField.FindStringSubmatch(p.body)[1]
		p = b.do(http.MethodPost, hide[0], url.Values{"csrf_token": {csrf}})
		if p.status != http.StatusSeeOther || !strings.HasSuffix(p.header.Get("Location"), "#reply-"+hide[1]) {
			t.Fatalf("hide = %d %s\n%s", p.status, p.header.Get("Location"), p.body)
		}
		visible(false)
		if p := b.get("/admin/discussion"); !strings.Contains(p.body, ">Hidden<") || !strings.Contains(p.body, "/admin/discussion/"+hide[1]+"/show") {
			t.Errorf("the list after hiding:\n%s", p.body)
		}
		if p := b.do(http.MethodPost, "/admin/discussion/"+hide[1]+"/show", url.Values{"csrf_token": {csrf}}); p.status != http.StatusSeeOther {
			t.Fatalf("show = %d\n%s", p.status, p.body)
		}
		visible(true)

		del := "/admin/discussion/" + hide[1] + "/delete"
		if p := b.get(del); p.status != http.StatusOK || !strings.Contains(p.body, "Delete the reply by sam@spam.example?") {
			t.Fatalf("delete page = %d\n%s", p.status, p.body)
		}
		if p := b.post(del, url.Values{}); p.status != http.StatusSeeOther {
			t.Fatalf("delete = %d\n%s", p.status, p.body)
		}
		if p := b.get("/admin/discussion"); strings.Contains(p.body, "cheap watches") || !strings.Contains(p.body, "How did you keep") {
			t.Errorf("the list after deleting:\n%s", p.body)
		}
		for _, path := range []string{"/admin/discussion/" + hide[1] + "/delete", "/admin/discussion/0/hide", "/admin/discussion/x/hide"} {
			if p := b.do(http.MethodPost, path, url.Values{"csrf_token": {csrf}}); p.status != http.StatusNotFound {
				t.Errorf("POST %s = %d", path, p.status)
			}
		}
		want := []string{"ed@example.org deleted reply " + spam.IRI, "ed@example.org showed reply " + spam.IRI, "ed@example.org hid reply " + spam.IRI, "admin token published " + slug}
		if got := auditLines(t, n); !slices.Equal(got, want) {
			t.Errorf("audit log = %q\nwant %q", got, want)
		}
	})
}
