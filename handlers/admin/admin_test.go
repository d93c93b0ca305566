package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestFirstRun: while no staff account exists, /admin shows the command
// that creates the first admin and the settings to set; afterwards it
// sends a browser that is not signed in to sign in.
func TestFirstRun(t *testing.T) {
	// A new node, with the profile of its default configuration.
	n := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) {
		def := config.Default()
		c.Name, c.Summary, c.OrgType, c.Region = def.Name, def.Summary, def.OrgType, def.Region
	}})
	b := newClient(t, n.URL)
	p := b.get("/admin")
	for _, want := range []string{"pollen users create --email you@example.org --role admin", "<code class=\"pollen-code\">name</code>", "<code class=\"pollen-code\">org_type</code>", "<code class=\"pollen-code\">region</code>"} {
		if p.status != http.StatusOK || !strings.Contains(p.body, want) {
			t.Fatalf("first run /admin = %d, without %q:\n%s", p.status, want, p.body)
		}
	}
	addUser(t, n, "asha@example.org", access.RoleEditor)
	p = b.get("/admin")
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/sign-in?next=%2Fadmin" {
		t.Fatalf("/admin signed out = %d %s", p.status, p.header.Get("Location"))
	}
	for _, path := range []string{"/admin/case-studies", "/admin/case-studies/new", "/admin/audit"} {
		if p := b.get(path); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/sign-in?next=") {
			t.Errorf("%s signed out = %d %s", path, p.status, p.header.Get("Location"))
		}
	}
	b.signIn("asha@example.org")
	if p := b.get("/admin"); p.status != http.StatusOK || !strings.Contains(p.body, `id="count-published">0<`) {
		t.Errorf("dashboard = %d\n%s", p.status, p.body)
	}
}

// TestStaleCSRF: a form sent with a token that is not the session's, or
// with none, gets the 403 page and changes nothing.
func TestStaleCSRF(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		addUser(t, n, "asha@example.org", access.RoleAdmin)
		b := newClient(t, n.URL)
		b.signIn("asha@example.org")
		n.Publish(t, testrig.CaseStudyBody())
		slug := "keeping-the-libraries-open"
		stale := newClient(t, n.URL)
		stale.signIn("asha@example.org")
		old := stale.csrf("/admin/case-studies/new")
		for _, tt := range []struct{ path, token string }{
			{"/admin/case-studies/new", old}, {"/admin/case-studies/new", ""},
			{"/admin/case-studies/" + slug + "/edit", old}, {"/admin/case-studies/" + slug + "/delete", old},
		} {
			form := caseForm("Forged", "publish")
			form.Set("csrf_token", tt.token)
			p := b.do(http.MethodPost, tt.path, form)
			if p.status != http.StatusForbidden || !strings.Contains(p.body, "this form has expired") {
				t.Errorf("POST %s with token %q = %d\n%s", tt.path, tt.token, p.status, p.body)
			}
		}
		if got := auditLines(t, n); !slices.Equal(got, []string{"admin token published " + slug}) {
			t.Errorf("audit after forged posts = %q", got)
		}
		if p := b.get("/case-studies/" + slug); p.status != http.StatusOK || strings.Contains(p.body, "Forged") {
			t.Errorf("case study after forged posts = %d", p.status)
		}
	})
}

// TestDraftLifecycle: a draft saved from the form is in no public list,
// page, feed, timeline or ActivityPub document and queues nothing; once
// published it is public and its Create reaches the follower; deleting
// it goes through its confirmation. Every change is in the audit log,
// by whoever made it, through the form, the API or the command line.
func TestDraftLifecycle(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		addUser(t, n, "asha@example.org", access.RoleEditor)
		rm := testrig.StartRemote(t)
		rm.Follow(t, n)
		b := newClient(t, n.URL)
		b.signIn("asha@example.org")

		p := b.post("/admin/case-studies/new", caseForm("A quiet draft", "draft"))
		slug := "a-quiet-draft"
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/admin/case-studies/"+slug+"/edit?saved=1" {
			t.Fatalf("save draft = %d %s\n%s", p.status, p.header.Get("Location"), p.body)
		}
		iri := n.URL + "/case-studies/" + slug
		notPublic(t, n, slug, "A quiet draft")
		if p := b.get("/admin/case-studies?q=quiet"); !strings.Contains(p.body, "A quiet draft") || !strings.Contains(p.body, ">Draft<") {
			t.Errorf("admin list lacks the draft:\n%s", p.body)
		}
		if p := b.get("/admin/case-studies?q=nothing+like+it"); strings.Contains(p.body, "A quiet draft") {
			t.Errorf("search for another title lists the draft")
		}

		p = b.post("/admin/case-studies/"+slug+"/edit", caseForm("A quiet draft", "publish"))
		if p.status != http.StatusSeeOther {
			t.Fatalf("publish = %d\n%s", p.status, p.body)
		}
		if r := testrig.Do(t, http.MethodGet, iri, nil, map[string]string{"Accept": "text/html"}); r.Status != http.StatusOK {
			t.Errorf("published page = %d", r.Status)
		}
		testrig.Eventually(t, "the Create of the published draft", func() bool {
			return slices.ContainsFunc(rm.Received("Create"), func(g testrig.Received) bool { return strings.Contains(string(g.Body), iri) })
		})

		// The API's "draft": true and the command line's --draft.
		body := testrig.CaseStudyBody()
		body["title"], body["draft"] = "Drafted by token", true
		if v := n.Publish(t, body); v["draft"] != true {
			t.Errorf("API draft answer: draft = %v", v["draft"])
		}
		notPublic(t, n, "drafted-by-token", "Drafted by token")
		in := service.CaseStudyInput{Title: "Drafted at the console", Summary: "S.", Body: "B.", Slug: "console", Draft: true}
		if _, _, err := n.CaseStudies.UpsertCaseStudy(service.Acting(context.Background(), service.CommandLine), in); err != nil {
			t.Fatal(err)
		}
		notPublic(t, n, "console", "Drafted at the console")
		in.Draft = false
		if _, did, err := n.CaseStudies.UpsertCaseStudy(service.Acting(context.Background(), service.CommandLine), in); err != nil || did != service.UpsertPublished {
			t.Fatalf("publish the console's draft: %v, %v", did, err)
		}

		if p := b.get("/admin/case-studies/" + slug + "/delete"); p.status != http.StatusOK || !strings.Contains(p.body, "Yes, delete it") {
			t.Fatalf("delete page = %d\n%s", p.status, p.body)
		}
		if p := b.post("/admin/case-studies/"+slug+"/delete", url.Values{}); p.status != http.StatusSeeOther {
			t.Fatalf("delete = %d\n%s", p.status, p.body)
		}
		if r := testrig.Do(t, http.MethodGet, iri, nil, map[string]string{"Accept": "text/html"}); r.Status != http.StatusGone {
			t.Errorf("deleted page = %d", r.Status)
		}
		want := []string{
			"asha@example.org deleted " + slug, "command line published console", "command line saved draft console", "admin token saved draft drafted-by-token",
			"asha@example.org published " + slug, "asha@example.org saved draft " + slug,
		}
		if got := auditLines(t, n); !slices.Equal(got, want) {
			t.Errorf("audit log = %q\nwant %q", got, want)
		}
		if p := b.get("/admin/audit"); !strings.Contains(p.body, "Saved draft") || !strings.Contains(p.body, "command line") {
			t.Errorf("audit page:\n%s", p.body)
		}
	})
}

// notPublic checks that the draft slug, titled title, is in none of n's
// public reads and that nothing was queued for it.
func notPublic(t *testing.T, n *testrig.Node, slug, title string) {
	t.Helper()
	iri := n.URL + "/case-studies/" + slug
	html := map[string]string{"Accept": "text/html"}
	if r := testrig.Do(t, http.MethodGet, iri, nil, html); r.Status != http.StatusNotFound {
		t.Errorf("draft page = %d", r.Status)
	}
	if r := testrig.GetAP(t, iri); r.Status != http.StatusNotFound {
		t.Errorf("draft as ActivityPub = %d", r.Status)
	}
	if r := testrig.GetAP(t, iri+"/replies"); r.Status != http.StatusNotFound {
		t.Errorf("draft's replies = %d", r.Status)
	}
	if r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/case-studies/"+slug, nil, nil); r.Status != http.StatusNotFound {
		t.Errorf("draft in the API = %d", r.Status)
	}
	for _, path := range []string{"/", "/api/v1/case-studies", "/api/v1/feed", "/api/v1/timelines/public", "/tags/mutuals", "/actors/org/outbox?page=1"} {
		if r := testrig.Do(t, http.MethodGet, n.URL+path, nil, html); strings.Contains(string(r.Body), title) || strings.Contains(string(r.Body), iri) {
			t.Errorf("%s shows the draft %s", path, slug)
		}
	}
	jobs, err := n.Store.Deliveries.List(context.Background(), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if strings.Contains(string(j.Payload), iri) {
			t.Errorf("a delivery was queued for the draft %s", slug)
		}
	}
}

// TestAPIDrafts: through the JSON API, a draft is published by a PUT
// without "draft", and a published case study cannot be taken back to a
// draft (422 naming draft, nothing changed).
func TestAPIDrafts(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		body := testrig.CaseStudyBody()
		body["draft"] = true
		n.Publish(t, body)
		slug := "keeping-the-libraries-open"
		html := map[string]string{"Accept": "text/html"}
		if r := testrig.Do(t, http.MethodGet, n.URL+"/case-studies/"+slug, nil, html); r.Status != http.StatusNotFound {
			t.Fatalf("draft page = %d", r.Status)
		}
		delete(body, "draft")
		if r := n.API(t, http.MethodPut, "/case-studies/"+slug, body); r.Status != http.StatusOK || r.Map(t)["draft"] != nil {
			t.Fatalf("publish by PUT = %d %s", r.Status, r.Body)
		}
		if r := testrig.Do(t, http.MethodGet, n.URL+"/case-studies/"+slug, nil, html); r.Status != http.StatusOK {
			t.Errorf("published page = %d", r.Status)
		}
		body["draft"], body["title"] = true, "Taken back"
		testrig.WantError(t, n.API(t, http.MethodPut, "/case-studies/"+slug, body), http.StatusUnprocessableEntity, "draft")
		if r := n.API(t, http.MethodGet, "/case-studies/"+slug, nil); !strings.Contains(string(r.Body), "Keeping the libraries open") {
			t.Errorf("after the refused PUT: %s", r.Body)
		}
		want := []string{"admin token published " + slug, "admin token saved draft " + slug}
		if got := auditLines(t, n); !slices.Equal(got, want) {
			t.Errorf("audit log = %q, want %q", got, want)
		}
	})
}

// TestPublishedStaysPublished: a form sent with "draft" for a published
// case study (which has no such button) shows the form again with the
// reason, and changes nothing.
func TestPublishedStaysPublished(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	addUser(t, n, "asha@example.org", access.RoleAdmin)
	n.Publish(t, testrig.CaseStudyBody())
	b := newClient(t, n.URL)
	b.signIn("asha@example.org")
	path := "/admin/case-studies/keeping-the-libraries-open/edit"
	if p := b.get(path); strings.Contains(p.body, `value="draft"`) || !strings.Contains(p.body, "Publish changes") {
		t.Errorf("a published case study's form offers a draft:\n%s", p.body)
	}
	p := b.post(path, caseForm("Taken back", "draft"))
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `<a href="#actions">A published case study cannot become a draft again`) ||
		!strings.Contains(p.body, `value="Taken back"`) {
		t.Errorf("draft of a published case study = %d\n%s", p.status, p.body)
	}
	if p := b.post(path, caseForm("Renamed", "nothing")); p.status != http.StatusBadRequest {
		t.Errorf("no button = %d", p.status)
	}
	if p := b.post(path, caseForm("Renamed", "publish")); p.status != http.StatusSeeOther {
		t.Fatalf("publish changes = %d\n%s", p.status, p.body)
	}
	if p := b.get(path + "?saved=1"); !strings.Contains(p.body, `value="Renamed"`) || !strings.Contains(p.body, "Published. ") {
		t.Errorf("after publishing changes:\n%s", p.body)
	}
	want := []string{"asha@example.org edited keeping-the-libraries-open", "admin token published keeping-the-libraries-open"}
	if got := auditLines(t, n); !slices.Equal(got, want) {
		t.Errorf("audit log = %q, want %q", got, want)
	}
}
