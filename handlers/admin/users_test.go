package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestUsersPage: an admin adds a user (a form with mistakes shows them,
// with what was typed kept but never the password), resets its password
// and disables it after confirming, each taking effect at sign-in;
// revokes an admin token and an app's access after confirming. An admin
// cannot disable themself, an editor cannot come in, and every change is
// in the audit log.
func TestUsersPage(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		ctx := context.Background()
		addUser(t, n, "asha@example.org", access.RoleAdmin)
		b := newClient(t, n.URL)
		b.signIn("asha@example.org")

		for _, tt := range []struct {
			form   url.Values
			status int
			want   []string
		}{
			{url.Values{"email": {"not-an-email"}, "role": {"editor"}, "password": {"short"}}, http.StatusUnprocessableEntity,
				[]string{`<a href="#email">Enter an email address`, `<a href="#password">Password must be 12 characters or more`, `value="not-an-email"`}},
			{url.Values{"email": {"ed@example.org"}, "role": {"boss"}, "password": {password}}, http.StatusUnprocessableEntity,
				[]string{`<a href="#role">Role must be admin or editor`}},
			{url.Values{"email": {"ASHA@example.org"}, "role": {"editor"}, "password": {password}}, http.StatusConflict,
				[]string{`<a href="#email">A user with the email asha@example.org exists already`}},
		} {
			p := b.post("/admin/users", tt.form)
			for _, want := range append(tt.want, "<title>Error: Users and tokens") {
				if p.status != tt.status || !strings.Contains(p.body, want) || strings.Contains(p.body, password) {
					t.Errorf("add user %v = %d, without %q\n%s", tt.form, p.status, want, p.body)
				}
			}
		}
		p := b.post("/admin/users", url.Values{"email": {"ed@example.org"}, "role": {"editor"}, "password": {password}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("add user = %d\n%s", p.status, p.body)
		}
		newClient(t, n.URL).signIn("ed@example.org")

		p = b.get("/admin/users")
		m := regexp.MustCompile(`/admin/users/(\d+)/password">Reset password<span class="govuk-visually-hidden"> of ed@example.org`).FindStringSubmatch(p.body)
		if m == nil || strings.Contains(p.body, "/disable\">Disable<span class=\"govuk-visually-hidden\"> asha@") {
			t.Fatalf("users page:\n%s", p.body)
		}
		id := m[1]
		if p := b.post("/admin/users/"+id+"/password", url.Values{"password": {"password"}}); p.status != http.StatusUnprocessableEntity ||
			!strings.Contains(p.body, `<a href="#password">Password must be 12`) {
			t.Errorf("a short new password = %d\n%s", p.status, p.body)
		}
		if p := b.post("/admin/users/"+id+"/password", url.Values{"password": {"a much longer new passphrase"}}); p.status != http.StatusSeeOther {
			t.Fatalf("reset password = %d\n%s", p.status, p.body)
		}
		if _, _, err := n.Accounts.SignIn(ctx, "ed@example.org", "a much longer new passphrase", "192.0.2.1"); err != nil {
			t.Errorf("sign in with the new password: %v", err)
		}
		if p := b.get("/admin/users/" + id + "/disable"); !strings.Contains(p.body, "Disable ed@example.org?") {
			t.Fatalf("disable page:\n%s", p.body)
		}
		if p := b.post("/admin/users/"+id+"/disable", url.Values{}); p.status != http.StatusSeeOther {
			t.Fatalf("disable = %d\n%s", p.status, p.body)
		}
		if _, _, err := n.Accounts.SignIn(ctx, "ed@example.org", "a much longer new passphrase", "192.0.2.1"); err == nil {
			t.Errorf("a disabled user signed in")
		}
		self := regexp.MustCompile(`"/admin/users/(\d+)/password">Reset password<span class="govuk-visually-hidden"> of asha@`).FindStringSubmatch(b.get("/admin/users").body)
		if p := b.post("/admin/users/"+self[1]+"/password", url.Values{}); p.status != http.StatusUnprocessableEntity {
			t.Errorf("empty password = %d", p.status)
		}
		csrf := b.csrf("/admin/users")
		if p := b.do(http.MethodPost, "/admin/users/"+self[1]+"/disable", url.Values{"csrf_token": {csrf}}); p.status != http.StatusUnprocessableEntity {
			t.Errorf("disable oneself = %d\n%s", p.status, p.body)
		}

		token, err := n.Tokens.CreateToken(ctx, "deploy")
		if err != nil {
			t.Fatal(err)
		}
		app, err := n.OAuth.CreateApp(ctx, access.AppInput{Name: "Tusky", RedirectURIs: []string{"urn:ietf:wg:oauth:2.0:oob"}, Scopes: "read"})
		if err != nil {
			t.Fatal(err)
		}
		issued, err := n.OAuth.Exchange(ctx, access.TokenRequest{GrantType: "client_credentials", ClientID: app.ClientID, ClientSecret: app.ClientSecret})
		if err != nil {
			t.Fatal(err)
		}
		p = b.get("/admin/users")
		revokeApp := regexp.MustCompile(`/admin/users/apps/\d+/revoke`).FindString(p.body)
		if !strings.Contains(p.body, `href="/admin/users/tokens/deploy/revoke"`) || revokeApp == "" || !strings.Contains(p.body, `<td class="govuk-table__cell">Tusky</td>`) {
			t.Fatalf("tokens on the users page:\n%s", p.body)
		}
		for _, path := range []string{"/admin/users/tokens/deploy/revoke", revokeApp} {
			if p := b.get(path); !strings.Contains(p.body, "Revoke") {
				t.Errorf("GET %s:\n%s", path, p.body)
			}
			if p := b.post(path, url.Values{}); p.status != http.StatusSeeOther {
				t.Errorf("POST %s = %d\n%s", path, p.status, p.body)
			}
		}
		if err := n.Tokens.Authenticate(ctx, token); err == nil {
			t.Errorf("the revoked admin token still works")
		}
		if _, err := n.OAuth.Authenticate(ctx, issued.AccessToken); err == nil {
			t.Errorf("the revoked app still works")
		}
		if p := b.post("/admin/users/tokens/deploy/revoke", url.Values{}); p.status != http.StatusNotFound {
			t.Errorf("revoke twice = %d", p.status)
		}
		want := []string{"asha@example.org revoked app Tusky", "asha@example.org revoked token deploy", "asha@example.org disabled user ed@example.org",
			"asha@example.org reset password ed@example.org", "asha@example.org created user ed@example.org"}
		if got := auditLines(t, n); !slices.Equal(got, want) {
			t.Errorf("audit log = %q\nwant %q", got, want)
		}

		addUser(t, n, "eve@example.org", access.RoleEditor)
		eve := newClient(t, n.URL)
		eve.signIn("eve@example.org")
		for _, path := range []string{"/admin/users", "/admin/users/" + self[1] + "/password"} {
			if p := eve.get(path); p.status != http.StatusForbidden {
				t.Errorf("an editor's GET %s = %d", path, p.status)
			}
		}
	})
}
