package admin_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestProfilePage goes through the profile page as an admin without
// script: the dashboard links to it while the profile lacks something,
// each mistake is explained with what was typed kept, a save shows on the
// pages, in the actor document, NodeInfo and the Mastodon API at once,
// gives new case studies their default type and region, and is in the
// audit log; an editor may not see the page, and a stale CSRF
// token changes nothing.
func TestProfilePage(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	addUser(t, n, "asha@example.org", access.RoleAdmin)
	addUser(t, n, "tom@example.org", access.RoleEditor)
	b := newClient(t, n.URL)
	b.signIn("asha@example.org")

	if p := b.get("/admin"); !strings.Contains(p.body, `href="/admin/profile" id="set-profile"`) || !strings.Contains(p.body, "A summary of what it does") {
		t.Errorf("the dashboard does not link to the profile page for what is missing:\n%s", p.body)
	}
	first := n.Service.NodeProfile()
	p := b.get("/admin/profile")
	for _, want := range []string{`<h1 class="govuk-heading-xl">Profile</h1>`, `value="` + first.Name + `"`, `href="/admin/profile" aria-current="page"`, `<option value="` + first.OrgType + `" selected>`} {
		if p.status != http.StatusOK || !strings.Contains(p.body, want) {
			t.Errorf("the page: %d, misses %q", p.status, want)
		}
	}
	valid := url.Values{"name": {"Leeds Libraries"}, "summary": {"Five libraries, run by their staff."}, "website": {"https://libraries.example"},
		"region": {"Yorkshire and The Humber"}, "organisation_type": {"public service mutual"}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vs := range valid {
			f[key] = slices.Clone(vs)
		}
		f.Set(k, v)
		return f
	}
	for _, tc := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"no name", with("name", "  "), []string{`href="#name">Enter the organisation&#39;s name`, "<title>Error: Profile", `govuk-form-group--error`, `value="https://libraries.example"`}},
		{"long name", with("name", strings.Repeat("x", 101)), []string{`href="#name">The name must be 100 characters or fewer`}},
		{"long summary", with("summary", strings.Repeat("x", 501)), []string{`href="#summary">The summary must be 500`}},
		{"website", with("website", "libraries.example"), []string{`href="#website">Enter the website&#39;s full address`, `value="libraries.example"`, `id="website-error"`}},
		{"script website", with("website", "javascript:alert(1)"), []string{`href="#website">`}},
		{"region", with("region", "Atlantis"), []string{`href="#region">Choose a region from the list`}},
		{"type", with("organisation_type", "club"), []string{`href="#organisation_type">Choose the type of organisation`, `value="Leeds Libraries"`}},
	} {
		p := b.post("/admin/profile", tc.form)
		for _, want := range tc.want {
			if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, want) {
				t.Errorf("%s: %d, misses %q", tc.name, p.status, want)
			}
		}
	}
	if p := b.do(http.MethodPost, "/admin/profile", url.Values{"csrf_token": {"stale"}, "name": {"Stale"}, "organisation_type": {"council"}}); p.status != http.StatusForbidden {
		t.Errorf("a stale CSRF token: %d", p.status)
	}
	if now := n.Service.NodeProfile(); now != first || now.Saved {
		t.Fatalf("the refused forms changed the profile: %+v", now)
	}

	p = b.post("/admin/profile", valid)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/admin/profile?saved=1" {
		t.Fatalf("save: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
	}
	p = b.get("/admin/profile?saved=1")
	for _, want := range []string{`id="saved"`, `value="Leeds Libraries"`, `<option value="Yorkshire and The Humber" selected>`, `<option value="public service mutual" selected>`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("after the save, the page misses %q", want)
		}
	}
	if p := b.get("/admin"); strings.Contains(p.body, `id="missing"`) {
		t.Errorf("the dashboard still lists what is missing:\n%s", p.body)
	}
	actor := testrig.GetAP(t, n.URL+"/actors/"+n.Config.Handle).Map(t)
	if actor["name"] != "Leeds Libraries" || actor["summary"] != "<p>Five libraries, run by their staff.</p>" || actor["region"] != "Yorkshire and The Humber" ||
		actor["organisationType"] != "public service mutual" || !strings.Contains(string(testrig.GetAP(t, n.URL+"/actors/"+n.Config.Handle).Body), `https://libraries.example`) {
		t.Errorf("the actor document after the save: %v", actor)
	}
	for path, want := range map[string]string{
		"/@" + n.Config.Handle: "Leeds Libraries",
		"/nodeinfo/2.1":        `"nodeName":"Leeds Libraries"`,
		"/api/v2/instance":     `"title":"Leeds Libraries"`,
		"/api/v1/instance":     `"short_description":"Five libraries, run by their staff."`,
		"/api/v1/accounts/lookup?acct=" + n.Config.Handle: `"display_name":"Leeds Libraries"`,
	} {
		if r := testrig.Do(t, http.MethodGet, n.URL+path, nil, nil); r.Status != http.StatusOK || !strings.Contains(string(r.Body), want) {
			t.Errorf("GET %s = %d, misses %q", path, r.Status, want)
		}
	}
	if lines := auditLines(t, n); len(lines) == 0 || lines[0] != "asha@example.org profile updated " {
		t.Errorf("audit log = %q", lines)
	}
	// A case study that names no organisation type or region takes the
	// profile's.
	body := testrig.CaseStudyBody()
	delete(body, "organisation_type")
	delete(body, "region")
	if cs := n.Publish(t, body); cs["organisation_type"] != "public service mutual" || cs["region"] != "Yorkshire and The Humber" {
		t.Errorf("a case study without type or region has %v, %v; want the profile's", cs["organisation_type"], cs["region"])
	}

	editor := newClient(t, n.URL)
	editor.signIn("tom@example.org")
	if p := editor.get("/admin/profile"); p.status != http.StatusForbidden {
		t.Errorf("an editor's GET /admin/profile = %d, want 403", p.status)
	}
	if p := editor.get("/admin"); strings.Contains(p.body, `href="/admin/profile"`) {
		t.Errorf("an editor's dashboard links to the profile page")
	}
}
