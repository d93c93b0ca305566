package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestFederationPage goes through the federation policy page as an admin
// without script: a mistake explained with what was typed kept, a block
// confirmed before it is made (and its follower removed), an actor block
// prefilled from ?actor=, an allowed domain, the rules undone, all in the
// audit log; an editor may not see the page, and a stale CSRF token
// changes nothing.
func TestFederationPage(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	addUser(t, n, "asha@example.org", access.RoleAdmin)
	addUser(t, n, "tom@example.org", access.RoleEditor)
	rm := testrig.StartRemote(t)
	rm.Follow(t, n)
	peer := strings.TrimPrefix(rm.URL, "http://")
	b := newClient(t, n.URL)
	b.signIn("asha@example.org")
	send := func(path string, form url.Values) answer {
		t.Helper()
		form.Set("csrf_token", b.csrf("/admin/federation"))
		return b.do(http.MethodPost, path, form)
	}

	p := b.get("/admin/federation")
	for _, want := range []string{"<h1 class=\"govuk-heading-xl\">Federation</h1>", "This node is <strong>open</strong>", "No domain is blocked.", "No actor is blocked.", "No domain is on the allowlist.", `href="/admin/federation"`} {
		if p.status != http.StatusOK || !strings.Contains(p.body, want) {
			t.Errorf("the empty page: %d, misses %q", p.status, want)
		}
	}
	for _, tc := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"not a domain", url.Values{"domain": {"not a domain!"}, "action": {"block"}}, []string{`href="#domain">Enter a domain`, `value="not a domain!"`, "<title>Error: Federation"}},
		{"nothing", url.Values{"domain": {""}, "action": {"allow"}}, []string{`href="#domain">Enter a domain, such as example.org, or an actor below`}},
		{"both", url.Values{"domain": {"a.example"}, "actor": {"https://b.example/users/x"}, "action": {"block"}}, []string{`href="#actor">Enter a domain or an actor, not both`}},
		{"own", url.Values{"domain": {n.Config.Host()}, "action": {"block"}}, []string{"own domain cannot be blocked"}},
		{"bad actor", url.Values{"actor": {"troll"}, "action": {"block"}}, []string{`href="#actor">Enter the actor&#39;s address`}},
	} {
		p := send("/admin/federation", tc.form)
		for _, want := range tc.want {
			if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, want) {
				t.Errorf("%s: %d, misses %q", tc.name, p.status, want)
			}
		}
	}

	p = send("/admin/federation", url.Values{"domain": {"HTTP://" + peer + "/users/alice"}, "reason": {"spam"}, "action": {"block"}})
	if p.status != http.StatusOK || !strings.Contains(p.body, "Block "+peer+"?") || !strings.Contains(p.body, `name="domain" value="`+peer+`"`) {
		t.Fatalf("the confirmation: %d\n%s", p.status, p.body)
	}
	if f, err := followerRow(t, n, rm); err != nil {
		t.Fatalf("the follower went before the block was confirmed: %v %v", f, err)
	}
	stale := b.do(http.MethodPost, "/admin/federation/block", url.Values{"csrf_token": {"stale"}, "domain": {peer}})
	if stale.status != http.StatusForbidden {
		t.Errorf("a stale CSRF token: %d", stale.status)
	}
	p = send("/admin/federation/block", url.Values{"domain": {peer}, "actor": {""}, "reason": {"spam"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/admin/federation?blocked="+url.QueryEscape(peer) {
		t.Fatalf("the block: %d %s", p.status, p.header.Get("Location"))
	}
	if _, err := followerRow(t, n, rm); err == nil {
		t.Error("the blocked domain's follower is still there")
	}
	p = b.get("/admin/federation?blocked=" + url.QueryEscape(peer))
	if !strings.Contains(p.body, `<p class="govuk-notification-banner__heading" id="done">Blocked `+peer+`.</p>`) || !strings.Contains(p.body, `<td class="govuk-table__cell">`+peer+`</td><td class="govuk-table__cell">spam</td>`) {
		t.Errorf("the page after the block misses it:\n%s", p.body)
	}

	actor := "https://social.example/users/troll"
	if p = b.get("/admin/federation?actor=" + url.QueryEscape(actor)); !strings.Contains(p.body, `name="actor" type="text" value="`+actor+`"`) {
		t.Errorf("the actor is not prefilled")
	}
	if p = send("/admin/federation", url.Values{"actor": {actor}, "action": {"block"}}); !strings.Contains(p.body, "Block "+actor+"?") {
		t.Errorf("the actor's confirmation: %d", p.status)
	}
	send("/admin/federation/block", url.Values{"actor": {actor}})
	if p = send("/admin/federation", url.Values{"domain": {"council.example"}, "action": {"allow"}}); p.status != http.StatusSeeOther {
		t.Errorf("allow: %d %s", p.status, p.body)
	}
	if p = send("/admin/federation", url.Values{"domain": {"council.example"}, "action": {"allow"}}); p.status != http.StatusConflict {
		t.Errorf("allowing twice: %d", p.status)
	}
	for _, f := range []struct {
		path string
		form url.Values
	}{
		{"/admin/federation/unblock", url.Values{"domain": {peer}}},
		{"/admin/federation/unblock", url.Values{"actor": {actor}}},
		{"/admin/federation/disallow", url.Values{"domain": {"council.example"}}},
	} {
		if p := send(f.path, f.form); p.status != http.StatusSeeOther {
			t.Errorf("%s %v: %d %s", f.path, f.form, p.status, p.body)
		}
	}
	if p = send("/admin/federation/unblock", url.Values{"domain": {peer}}); p.status != http.StatusNotFound {
		t.Errorf("unblocking twice: %d", p.status)
	}
	want := []string{
		"asha@example.org disallowed council.example", "asha@example.org unblocked " + actor, "asha@example.org unblocked " + peer,
		"asha@example.org allowed council.example", "asha@example.org blocked " + actor, "asha@example.org blocked " + peer,
	}
	if got := auditLines(t, n); !slices.Equal(got, want) {
		t.Errorf("audit log:\n%q\nwant\n%q", got, want)
	}

	editor := newClient(t, n.URL)
	editor.signIn("tom@example.org")
	if p := editor.get("/admin/federation"); p.status != http.StatusForbidden {
		t.Errorf("an editor's GET: %d", p.status)
	}
	if p := editor.get("/admin/audit"); strings.Contains(p.body, `href="/admin/federation"`) {
		t.Error("an editor's menu links to the federation page")
	}
}

// followerRow is the state of rm's follow of n's organisation, or the
// error of looking it up.
func followerRow(t *testing.T, n *testrig.Node, rm *testrig.Remote) (string, error) {
	t.Helper()
	ctx := context.Background()
	a, err := n.Store.Actors.ByIRI(ctx, rm.ActorIRI)
	if err != nil {
		return "", err
	}
	local, err := n.Service.LocalActor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f, err := n.Store.Follows.Between(ctx, a.ID, local.ID)
	return f.State, err
}
