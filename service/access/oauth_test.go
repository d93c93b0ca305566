package access_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// wantOAuth fails the test unless err is an *OAuthError with code.
func wantOAuth(t *testing.T, what string, err error, code string) {
	t.Helper()
	var e *access.OAuthError
	if !errors.As(err, &e) || e.Code != code {
		t.Errorf("%s: %v, want the OAuth error %s", what, err, code)
	}
}

// oauthRig is an OAuth server on a fresh database, with a clock the test
// moves, one user and one app.
type oauthRig struct {
	o    *access.OAuth
	acc  *access.Accounts
	tok  *access.Tokens
	now  time.Time
	user access.User
	app  access.App
}

func newOAuthRig(t *testing.T, db testrig.DB) *oauthRig {
	r := &oauthRig{now: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return r.now }
	store := testrig.Store(t, db)
	r.o, r.acc, r.tok = access.NewOAuth(store, clock), access.NewAccounts(store, clock), access.NewTokens(store)
	ctx := context.Background()
	var err error
	if r.user, err = r.acc.CreateUser(ctx, "asha@example.org", access.RoleAdmin, goodPassword); err != nil {
		t.Fatal(err)
	}
	r.app, err = r.o.CreateApp(ctx, access.AppInput{Name: "Tusky", RedirectURIs: []string{access.OOB + "\noauth2redirect://tusky/"}, Scopes: "read write follow push"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// challenge is the S256 PKCE challenge of verifier.
func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

const verifier = "a-verifier-of-the-forty-three-characters-or-more"

// code grants a code for the app, OOB, with PKCE.
func (r *oauthRig) code(t *testing.T, scope string) string {
	t.Helper()
	ctx := context.Background()
	c, err := r.o.CheckAuthorize(ctx, access.AuthorizeRequest{ClientID: r.app.ClientID, RedirectURI: access.OOB, ResponseType: "code",
		Scope: scope, CodeChallenge: challenge(verifier), CodeChallengeMethod: "S256"})
	if err != nil {
		t.Fatalf("CheckAuthorize: %v", err)
	}
	code, err := r.o.Grant(ctx, c, r.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func (r *oauthRig) exchange(code, secret, redirect, verifier string) (access.IssuedToken, error) {
	return r.o.Exchange(context.Background(), access.TokenRequest{GrantType: "authorization_code", ClientID: r.app.ClientID,
		ClientSecret: secret, Code: code, RedirectURI: redirect, CodeVerifier: verifier})
}

func TestOAuthCodeGrant(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		r := newOAuthRig(t, db)
		code := r.code(t, "read write push")

		// Every refusal leaves the code usable.
		_, err := r.exchange(code, "wrong secret", access.OOB, verifier)
		wantOAuth(t, "wrong secret", err, access.ErrInvalidClient)
		_, err = r.exchange(code, r.app.ClientSecret, "https://elsewhere.example/cb", verifier)
		wantOAuth(t, "other redirect URI", err, access.ErrInvalidGrant)
		_, err = r.exchange(code, r.app.ClientSecret, access.OOB, verifier+"x")
		wantOAuth(t, "wrong verifier", err, access.ErrInvalidGrant)
		_, err = r.exchange(code, r.app.ClientSecret, access.OOB, "")
		wantOAuth(t, "no verifier", err, access.ErrInvalidGrant)
		_, err = r.exchange("not-a-code", r.app.ClientSecret, access.OOB, verifier)
		wantOAuth(t, "unknown code", err, access.ErrInvalidGrant)

		tok, err := r.exchange(code, r.app.ClientSecret, access.OOB, verifier)
		if err != nil || tok.AccessToken == "" || tok.Scopes.String() != "read write push" {
			t.Fatalf("Exchange = %+v, %v", tok, err)
		}
		_, err = r.exchange(code, r.app.ClientSecret, access.OOB, verifier)
		wantOAuth(t, "used code", err, access.ErrInvalidGrant)

		at, err := r.o.Authenticate(ctx, tok.AccessToken)
		if err != nil || at.User == nil || at.User.ID != r.user.ID || at.App != "Tusky" || !at.Scopes.Allows("read:statuses") || at.Scopes.Allows("follow") || at.Admin {
			t.Fatalf("Authenticate = %+v, %v", at, err)
		}

		// A second app cannot exchange the first one's code.
		other, err := r.o.CreateApp(ctx, access.AppInput{Name: "Other", RedirectURIs: []string{access.OOB}})
		if err != nil {
			t.Fatal(err)
		}
		code2 := r.code(t, "read")
		_, err = r.o.Exchange(ctx, access.TokenRequest{GrantType: "authorization_code", ClientID: other.ClientID, ClientSecret: other.ClientSecret, Code: code2, CodeVerifier: verifier})
		wantOAuth(t, "another client's code", err, access.ErrInvalidGrant)

		// Ten minutes later the code has expired.
		r.now = r.now.Add(access.CodeLifetime)
		_, err = r.exchange(code2, r.app.ClientSecret, access.OOB, verifier)
		wantOAuth(t, "expired code", err, access.ErrInvalidGrant)

		// Revoked by its app: it no longer authenticates. Another app's revoke does nothing.
		wantOAuth(t, "revoke with a wrong secret", r.o.Revoke(ctx, r.app.ClientID, "nope", tok.AccessToken), access.ErrInvalidClient)
		if err := r.o.Revoke(ctx, other.ClientID, other.ClientSecret, tok.AccessToken); err != nil {
			t.Fatal(err)
		}
		if _, err := r.o.Authenticate(ctx, tok.AccessToken); err != nil {
			t.Errorf("after another app's revoke: %v", err)
		}
		if err := r.o.Revoke(ctx, r.app.ClientID, r.app.ClientSecret, tok.AccessToken); err != nil {
			t.Fatal(err)
		}
		_, err = r.o.Authenticate(ctx, tok.AccessToken)
		wantKind(t, "revoked token", err, apperr.Unauthorized)
	})
}

func TestOAuthClientCredentialsAndAdminTokens(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		r := newOAuthRig(t, db)
		cc := func(secret, scope string) (access.IssuedToken, error) {
			return r.o.Exchange(ctx, access.TokenRequest{GrantType: "client_credentials", ClientID: r.app.ClientID, ClientSecret: secret, Scope: scope})
		}
		tok, err := cc(r.app.ClientSecret, "")
		if err != nil || tok.Scopes.String() != "read" {
			t.Fatalf("client_credentials = %+v, %v", tok, err)
		}
		if at, err := r.o.Authenticate(ctx, tok.AccessToken); err != nil || at.User != nil {
			t.Errorf("Authenticate(app's own) = %+v, %v; want no user", at, err)
		}
		_, err = cc(r.app.ClientSecret, "read bogus")
		wantOAuth(t, "unknown scope", err, access.ErrInvalidScope)
		_, err = cc("", "read")
		wantOAuth(t, "no secret", err, access.ErrInvalidClient)
		_, err = r.o.Exchange(ctx, access.TokenRequest{GrantType: "password", ClientID: r.app.ClientID, ClientSecret: r.app.ClientSecret})
		wantOAuth(t, "password grant", err, access.ErrUnsupportedGrantType)
		_, err = r.o.Exchange(ctx, access.TokenRequest{ClientID: r.app.ClientID, ClientSecret: r.app.ClientSecret})
		wantOAuth(t, "no grant type", err, access.ErrInvalidRequest)

		// An admin token holds every scope, with no user.
		admin, err := r.tok.CreateToken(ctx, "ci")
		if err != nil {
			t.Fatal(err)
		}
		at, err := r.o.Authenticate(ctx, admin)
		if err != nil || !at.Admin || at.User != nil || !at.Scopes.Allows("write:follows") {
			t.Errorf("Authenticate(admin token) = %+v, %v", at, err)
		}
		_, err = r.o.Authenticate(ctx, "")
		wantKind(t, "no token", err, apperr.Unauthorized)
		_, err = r.o.Authenticate(ctx, "unknown")
		wantKind(t, "unknown token", err, apperr.Unauthorized)
	})
}

func TestOAuthAuthorizeRefusals(t *testing.T) {
	ctx := context.Background()
	r := newOAuthRig(t, testrig.SQLite(t))
	ok := access.AuthorizeRequest{ClientID: r.app.ClientID, RedirectURI: "oauth2redirect://tusky/", ResponseType: "code", Scope: "read", State: "s&1"}
	for _, c := range []struct {
		name   string
		change func(*access.AuthorizeRequest)
		code   string
	}{
		{"unknown client", func(a *access.AuthorizeRequest) { a.ClientID = "nope" }, access.ErrInvalidClient},
		{"unregistered redirect URI", func(a *access.AuthorizeRequest) { a.RedirectURI = "https://evil.example/cb" }, access.ErrInvalidRequest},
		{"no redirect URI with two registered", func(a *access.AuthorizeRequest) { a.RedirectURI = "" }, access.ErrInvalidRequest},
		{"token response", func(a *access.AuthorizeRequest) { a.ResponseType = "token" }, access.ErrUnsupportedResponseType},
		{"plain PKCE", func(a *access.AuthorizeRequest) { a.CodeChallenge, a.CodeChallengeMethod = verifier, "plain" }, access.ErrInvalidRequest},
		{"challenge without method", func(a *access.AuthorizeRequest) { a.CodeChallenge = challenge(verifier) }, access.ErrInvalidRequest},
		{"bad challenge", func(a *access.AuthorizeRequest) { a.CodeChallenge, a.CodeChallengeMethod = "short", "S256" }, access.ErrInvalidRequest},
		{"unknown scope", func(a *access.AuthorizeRequest) { a.Scope = "read admin:everything" }, access.ErrInvalidScope},
		{"granular scopes within the app's (accepted)", func(a *access.AuthorizeRequest) { a.Scope = "profile write:media" }, ""},
	} {
		req := ok
		c.change(&req)
		_, err := r.o.CheckAuthorize(ctx, req)
		if c.code == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		wantOAuth(t, c.name, err, c.code)
	}
	narrow, err := r.o.CreateApp(ctx, access.AppInput{Name: "Narrow", RedirectURIs: []string{access.OOB}, Scopes: "read:statuses"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.o.CheckAuthorize(ctx, access.AuthorizeRequest{ClientID: narrow.ClientID, ResponseType: "code", Scope: "read"})
	wantOAuth(t, "scope beyond the app's", err, access.ErrInvalidScope)

	c, err := r.o.CheckAuthorize(ctx, ok)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(c.Redirect("the-code", false))
	if u.Scheme != "oauth2redirect" || u.Query().Get("code") != "the-code" || u.Query().Get("state") != "s&1" {
		t.Errorf("Redirect = %s", u)
	}
	u, _ = url.Parse(c.Redirect("", true))
	if u.Query().Get("error") != "access_denied" || u.Query().Get("state") != "s&1" || u.Query().Has("code") {
		t.Errorf("Redirect(denied) = %s", u)
	}
}

func TestCreateAppRefusals(t *testing.T) {
	o := access.NewOAuth(testrig.Store(t, testrig.SQLite(t)), nil)
	for _, c := range []struct {
		in    access.AppInput
		field string
	}{
		{access.AppInput{RedirectURIs: []string{access.OOB}}, "client_name"},
		{access.AppInput{Name: "x"}, "redirect_uris"},
		{access.AppInput{Name: "x", RedirectURIs: []string{"http://example.org/cb"}}, "redirect_uris"},
		{access.AppInput{Name: "x", RedirectURIs: []string{"javascript:alert(1)"}}, "redirect_uris"},
		{access.AppInput{Name: "x", RedirectURIs: []string{"https://example.org/cb#frag"}}, "redirect_uris"},
		{access.AppInput{Name: "x", RedirectURIs: []string{"/relative"}}, "redirect_uris"},
		{access.AppInput{Name: "x", RedirectURIs: []string{access.OOB}, Scopes: "read sudo"}, "scopes"},
		{access.AppInput{Name: "x", RedirectURIs: []string{access.OOB}, Website: "javascript:x"}, "website"},
	} {
		_, err := o.CreateApp(context.Background(), c.in)
		if e := wantKind(t, "CreateApp", err, apperr.Unprocessable); e.Fields[c.field] == "" {
			t.Errorf("CreateApp(%+v): fields %v, want %s", c.in, e.Fields, c.field)
		}
	}
	for _, uri := range []string{"https://elk.zone/cb", "http://127.0.0.1:8000/cb", "http://localhost/cb", "http://[::1]/cb", "oauth2redirect://tusky/", "com.example.app:/cb"} {
		a, err := o.CreateApp(context.Background(), access.AppInput{Name: "ok", RedirectURIs: []string{uri}})
		if err != nil || a.RedirectURIs[0] != uri || a.Scopes.String() != "read" || a.ClientSecret == "" {
			t.Errorf("CreateApp(%s) = %+v, %v", uri, a, err)
		}
	}
}

func TestScopes(t *testing.T) {
	s, err := access.ParseScopes("read write:follows follow push read")
	if err != nil || s.String() != "read write:follows follow push" {
		t.Fatalf("ParseScopes = %v, %v", s, err)
	}
	for want, allowed := range map[string]bool{
		"read": true, "read:statuses": true, "profile": true, "write:follows": true, "write:blocks": true,
		"write:statuses": false, "write": false, "push": true,
	} {
		if s.Allows(want) != allowed {
			t.Errorf("%v allows %s: %v, want %v", s, want, !allowed, allowed)
		}
	}
	if (access.Scopes{"read:accounts"}).Allows("read") || !(access.Scopes{"read:accounts"}).Allows("profile") || (access.Scopes{"profile"}).Allows("read:accounts") {
		t.Error("granular scopes must not grant their top-level scope; read:accounts grants profile, not the reverse")
	}
	if _, err := access.ParseScopes("read:everything"); err == nil {
		t.Error("read:everything parsed")
	}
}

func TestDisableUserRevokesItsOAuthTokens(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		r := newOAuthRig(t, db)
		tok, err := r.exchange(r.code(t, "read"), r.app.ClientSecret, access.OOB, verifier)
		if err != nil {
			t.Fatal(err)
		}
		mine, err := r.o.UserTokens(ctx, r.user.ID)
		if err != nil || len(mine) != 1 || mine[0].App != "Tusky" {
			t.Fatalf("UserTokens = %+v, %v", mine, err)
		}
		wantKind(t, "another user revokes", r.o.RevokeUserToken(ctx, r.user.ID+1, mine[0].ID), apperr.NotFound)
		if err := r.acc.DisableUser(ctx, r.user.Email); err != nil {
			t.Fatal(err)
		}
		_, err = r.o.Authenticate(ctx, tok.AccessToken)
		wantKind(t, "a disabled user's token", err, apperr.Unauthorized)
		list, err := r.o.ListOAuthTokens(ctx)
		if err != nil || len(list) != 1 || list[0].RevokedAt == nil || list[0].User != r.user.Email || list[0].App != "Tusky" {
			t.Errorf("ListOAuthTokens = %+v, %v; want the token revoked", list, err)
		}
		wantKind(t, "revoke a revoked token", r.o.RevokeOAuthToken(ctx, list[0].ID), apperr.NotFound)
	})
}
