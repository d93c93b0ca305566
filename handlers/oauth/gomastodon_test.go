package oauth_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mattn/go-mastodon"

	"github.com/pollen-coop/pollen/testrig"
)

// pkceTransport adds the PKCE code_verifier to the token requests of
// go-mastodon, which does not send one itself.
type pkceTransport struct{ verifier string }

func (p pkceTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == "/oauth/token" && r.Body != nil {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		form, _ := url.ParseQuery(string(body))
		form.Set("code_verifier", p.verifier)
		enc := form.Encode()
		r = r.Clone(r.Context())
		r.Body, r.ContentLength = io.NopCloser(strings.NewReader(enc)), int64(len(enc))
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestGoMastodon: a client nobody here wrote registers an app, the user
// authorises it on the real consent page (the code shown out of band),
// the client exchanges the code with PKCE and calls a route behind
// RequireScope.
func TestGoMastodon(t *testing.T) {
	ctx := context.Background()
	n := startNode(t, testrig.SQLite(t))
	base := probe(t, n)
	app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: base, ClientName: "go-mastodon", Scopes: "read write follow", Website: "https://example.org/go-mastodon"})
	if err != nil {
		t.Fatalf("RegisterApp: %v", err)
	}
	auth, err := url.Parse(app.AuthURI)
	if err != nil {
		t.Fatal(err)
	}
	q := auth.Query()
	q.Set("code_challenge", challenge(verifier))
	q.Set("code_challenge_method", "S256")
	authz := auth.Path + "?" + q.Encode()

	b := newBrowser(t, base)
	b.signIn(authz)
	form := consentForm(t, b.get(authz))
	form.Set("decision", "authorise")
	m := codeElem.FindStringSubmatch(b.do(http.MethodPost, "/oauth/authorize", form).body)
	if m == nil {
		t.Fatal("no code shown out of band")
	}

	c := mastodon.NewClient(&mastodon.Config{Server: base, ClientID: app.ClientID, ClientSecret: app.ClientSecret})
	if err := c.GetUserAccessToken(ctx, m[1], app.RedirectURI); err == nil {
		t.Fatal("the code was exchanged without its PKCE verifier")
	}
	c.Transport = pkceTransport{verifier: verifier}
	if err := c.GetUserAccessToken(ctx, m[1], app.RedirectURI); err != nil {
		t.Fatalf("GetUserAccessToken with PKCE: %v", err)
	}
	acct, err := c.GetAccountCurrentUser(ctx)
	if err != nil || acct.Username != email || !strings.Contains(acct.Note, "read write follow") {
		t.Fatalf("GetAccountCurrentUser = %+v, %v", acct, err)
	}
}
