package oauth_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestAuthorizationCodeFlow goes through the flow as a browser and an app
// would, on both databases: sign-in naming the app, consent, the code out
// of band, the exchange with PKCE, a route behind RequireScope, then
// revocation and a disabled user.
func TestAuthorizationCodeFlow(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		n := startNode(t, db)
		base := probe(t, n)
		b := newBrowser(t, base)
		id, secret := registerApp(t, b, access.OOB+"\nhttps://app.example/cb", "read write push")

		// Not signed in: to the sign-in page, which names the app.
		authz := authorizeURL(id, access.OOB, "read push", "xyz")
		p := b.get(authz)
		loc, _ := url.Parse(p.header.Get("Location"))
		if p.status != http.StatusSeeOther || loc.Path != "/sign-in" || loc.Query().Get("next") != authz {
			t.Fatalf("GET authorize signed out: %d %s", p.status, p.header.Get("Location"))
		}
		if page := b.get(loc.String()); !strings.Contains(page.body, "<strong>Tusky</strong> asks to use your account") {
			t.Errorf("the sign-in page does not name the app:\n%s", page.body)
		}
		p = b.signIn(authz)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != authz {
			t.Fatalf("sign in: %d %s", p.status, p.header.Get("Location"))
		}

		// The consent page names the app and the scopes, with two buttons.
		p = b.get(authz)
		for _, want := range []string{"Authorise Tusky", "<code class=\"pollen-code\">read</code>", "<code class=\"pollen-code\">push</code>",
			`name="decision" value="authorise">Authorise</button>`, `name="decision" value="deny">Deny</button>`} {
			if !strings.Contains(p.body, want) {
				t.Errorf("consent page lacks %s:\n%s", want, p.body)
			}
		}
		form := consentForm(t, p)
		noCSRF := url.Values{}
		for k, v := range form {
			if k != "csrf_token" {
				noCSRF[k] = v
			}
		}
		noCSRF.Set("decision", "authorise")
		if p := b.do(http.MethodPost, "/oauth/authorize", noCSRF); p.status != http.StatusForbidden {
			t.Errorf("consent without the CSRF token: %d, want 403", p.status)
		}

		// Authorise: the code is shown out of band.
		form.Set("decision", "authorise")
		p = b.do(http.MethodPost, "/oauth/authorize", form)
		m := codeElem.FindStringSubmatch(p.body)
		if p.status != http.StatusOK || m == nil {
			t.Fatalf("authorise OOB: %d, no code in\n%s", p.status, p.body)
		}
		code := m[1]

		app := newBrowser(t, base)
		exchange := url.Values{"grant_type": {"authorization_code"}, "client_id": {id}, "client_secret": {secret},
			"code": {code}, "redirect_uri": {access.OOB}, "code_verifier": {verifier}}
		p = app.do(http.MethodPost, "/oauth/token", exchange)
		tok := p.json(t)
		if p.status != http.StatusOK || tok["token_type"] != "Bearer" || tok["scope"] != "read push" || tok["access_token"] == "" || p.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("token: %d %s", p.status, p.body)
		}
		bearer := "Bearer " + tok["access_token"].(string)

		// A route behind RequireScope.
		p = app.do(http.MethodGet, "/api/v1/accounts/verify_credentials", nil, "Authorization", bearer)
		if p.status != http.StatusOK || p.json(t)["username"] != email {
			t.Fatalf("a route behind RequireScope: %d %s", p.status, p.body)
		}
		if p := app.get("/api/v1/accounts/verify_credentials"); p.status != http.StatusUnauthorized {
			t.Errorf("without a token: %d, want 401", p.status)
		}
		// An OAuth token does not reach Pollen's admin API.
		if p := app.do(http.MethodGet, "/api/v1/queue", nil, "Authorization", bearer); p.status != http.StatusUnauthorized {
			t.Errorf("an OAuth token on the admin API: %d, want 401", p.status)
		}
		// An admin token still does, and acts on the Mastodon API.
		if p := app.do(http.MethodGet, "/api/v1/queue", nil, "Authorization", "Bearer "+n.Token); p.status != http.StatusOK {
			t.Errorf("the admin token on the admin API: %d %s", p.status, p.body)
		}
		if p := app.do(http.MethodGet, "/api/v1/accounts/verify_credentials", nil, "Authorization", "Bearer "+n.Token); p.status != http.StatusOK {
			t.Errorf("the admin token behind RequireScope: %d %s", p.status, p.body)
		}

		// A token without the scope: 403.
		cc := app.do(http.MethodPost, "/oauth/token", `{"grant_type":"client_credentials","client_id":"`+id+`","client_secret":"`+secret+`","scope":"write"}`)
		if cc.status != http.StatusOK || cc.json(t)["scope"] != "write" {
			t.Fatalf("client_credentials as JSON: %d %s", cc.status, cc.body)
		}
		if p := app.do(http.MethodGet, "/api/v1/accounts/verify_credentials", nil, "Authorization", "Bearer "+cc.json(t)["access_token"].(string)); p.status != http.StatusForbidden {
			t.Errorf("a token without read:statuses: %d, want 403", p.status)
		}

		// Revoked by the app: 401.
		if p := app.do(http.MethodPost, "/oauth/revoke", url.Values{"client_id": {id}, "client_secret": {secret}, "token": {cc.json(t)["access_token"].(string)}}); p.status != http.StatusOK {
			t.Errorf("revoke: %d %s", p.status, p.body)
		}
		if p := app.do(http.MethodGet, "/api/v1/accounts/verify_credentials", nil, "Authorization", "Bearer "+cc.json(t)["access_token"].(string)); p.status != http.StatusUnauthorized {
			t.Errorf("a revoked token: %d, want 401", p.status)
		}

		// The user sees the app on their page of apps; revoking it there
		// and the token is refused.
		apps := b.get("/oauth/apps")
		if apps.status != http.StatusOK || !strings.Contains(apps.body, "Tusky") {
			t.Fatalf("page of apps: %d\n%s", apps.status, apps.body)
		}
		user := newBrowser(t, base)
		user.signIn("/oauth/apps")
		second := consentForm(t, user.get(authz))
		second.Set("decision", "authorise")
		code2 := codeElem.FindStringSubmatch(user.do(http.MethodPost, "/oauth/authorize", second).body)[1]
		p = app.do(http.MethodPost, "/oauth/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {id}, "client_secret": {secret},
			"code": {code2}, "code_verifier": {verifier}})
		bearer2 := "Bearer " + p.json(t)["access_token"].(string)
		users, _ := n.Accounts.ListUsers(ctx)
		list, _ := n.OAuth.UserTokens(ctx, users[0].ID)
		revoke := url.Values{"csrf_token": {csrfField.FindStringSubmatch(user.get("/oauth/apps").body)[1]}}
		last := strconv.FormatInt(list[len(list)-1].ID, 10)
		if p := user.do(http.MethodPost, "/oauth/apps/"+last+"/revoke", url.Values{}); p.status != http.StatusForbidden {
			t.Errorf("revoke without the CSRF token: %d, want 403", p.status)
		}
		if p := user.do(http.MethodPost, "/oauth/apps/"+last+"/revoke", revoke); p.status != http.StatusSeeOther {
			t.Fatalf("revoke from the page of apps: %d %s", p.status, p.body)
		}
		if p := app.do(http.MethodGet, "/api/v1/accounts/verify_credentials", nil, "Authorization", bearer2); p.status != http.StatusUnauthorized {
			t.Errorf("a token its user revoked: %d, want 401", p.status)
		}
		if p := user.do(http.MethodPost, "/oauth/apps/"+last+"/revoke", revoke); p.status != http.StatusNotFound {
			t.Errorf("revoke twice: %d, want 404", p.status)
		}

		// A disabled user's token: 401.
		if err := n.Accounts.DisableUser(ctx, email); err != nil {
			t.Fatal(err)
		}
		if p := app.do(http.MethodGet, "/api/v1/accounts/verify_credentials", nil, "Authorization", bearer); p.status != http.StatusUnauthorized {
			t.Errorf("a disabled user's token: %d, want 401", p.status)
		}
	})
}

// TestAuthorizeRedirects: a redirect URI gets the code and the state, or
// access_denied and the state.
func TestAuthorizeRedirects(t *testing.T) {
	n := startNode(t, testrig.SQLite(t))
	b := newBrowser(t, n.URL)
	id, _ := registerApp(t, b, "https://app.example/cb?keep=1 oauth2redirect://tusky/", "read")
	for _, c := range []struct{ redirect, decision, want string }{
		{"https://app.example/cb?keep=1", "authorise", "code"},
		{"oauth2redirect://tusky/", "deny", "error"},
	} {
		authz := authorizeURL(id, c.redirect, "read", "s t&u")
		b.signIn(authz)
		form := consentForm(t, b.get(authz))
		form.Set("decision", c.decision)
		p := b.do(http.MethodPost, "/oauth/authorize", form)
		loc, err := url.Parse(p.header.Get("Location"))
		if p.status != http.StatusSeeOther || err != nil || !strings.HasPrefix(loc.String(), c.redirect[:strings.IndexAny(c.redirect, "?/")]) {
			t.Fatalf("%s: %d %s", c.decision, p.status, p.header.Get("Location"))
		}
		q := loc.Query()
		if q.Get("state") != "s t&u" || q.Get(c.want) == "" {
			t.Errorf("%s: redirected to %s, want %s and the state", c.decision, loc, c.want)
		}
		if c.decision == "deny" && (q.Get("error") != "access_denied" || q.Has("code")) {
			t.Errorf("deny: %s", loc)
		}
		if c.want == "code" && q.Get("keep") != "1" {
			t.Errorf("the redirect URI's own query was lost: %s", loc)
		}
	}
}
