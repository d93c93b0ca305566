package oauth_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

const (
	email    = "asha@example.org"
	password = "correct horse battery staple"
	verifier = "a-pkce-verifier-of-forty-three-characters-at-least"
)

// challenge is the S256 PKCE challenge of v.
func challenge(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// browser is an HTTP client with its cookies, that follows no redirect.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

// page is an answer: status, headers and body.
type page struct {
	status int
	header http.Header
	body   string
}

// json decodes the body into a map.
func (p page) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(p.body), &m); err != nil {
		t.Fatalf("%d %q is not JSON: %v", p.status, p.body, err)
	}
	return m
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// do sends a request; a url.Values body goes as a form, a string as JSON.
func (b *browser) do(method, path string, body any, header ...string) page {
	b.t.Helper()
	var rd io.Reader
	ct := ""
	switch v := body.(type) {
	case url.Values:
		rd, ct = strings.NewReader(v.Encode()), "application/x-www-form-urlencoded"
	case string:
		rd, ct = strings.NewReader(v), "application/json"
	case io.Reader:
		rd = v
	}
	target := path
	if strings.HasPrefix(path, "/") {
		target = b.base + path
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, header: resp.Header, body: string(data)}
}

func (b *browser) get(path string) page { b.t.Helper(); return b.do(http.MethodGet, path, nil) }

var (
	csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	hidden    = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	codeElem  = regexp.MustCompile(`<code class="pollen-code pollen-code-block" id="authorisation-code">([^<]+)</code>`)
)

// signIn signs the browser in with the sign-in form, then goes to next.
func (b *browser) signIn(next string) page {
	b.t.Helper()
	p := b.get("/sign-in?next=" + url.QueryEscape(next))
	m := csrfField.FindStringSubmatch(p.body)
	if m == nil {
		b.t.Fatalf("no CSRF token on the sign-in page:\n%s", p.body)
	}
	return b.do(http.MethodPost, "/sign-in", url.Values{"csrf_token": {m[1]}, "email": {email}, "password": {password}, "next": {next}})
}

// consentForm reads the hidden fields of the consent page.
func consentForm(t *testing.T, p page) url.Values {
	t.Helper()
	if p.status != http.StatusOK {
		t.Fatalf("consent page: %d\n%s", p.status, p.body)
	}
	form := url.Values{}
	for _, m := range hidden.FindAllStringSubmatch(p.body, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	return form
}

// startNode starts a node with one admin user.
func startNode(t *testing.T, db testrig.DB) *testrig.Node {
	t.Helper()
	n := testrig.StartNode(t, testrig.Options{DB: db})
	if _, err := n.Accounts.CreateUser(context.Background(), email, access.RoleAdmin, password); err != nil {
		t.Fatal(err)
	}
	return n
}

// registerApp registers an app with the given redirect URIs and scopes.
func registerApp(t *testing.T, b *browser, redirects, scopes string) (id, secret string) {
	t.Helper()
	p := b.do(http.MethodPost, "/api/v1/apps", url.Values{"client_name": {"Tusky"}, "redirect_uris": {redirects}, "scopes": {scopes}})
	if p.status != http.StatusOK {
		t.Fatalf("register app: %d %s", p.status, p.body)
	}
	m := p.json(t)
	return m["client_id"].(string), m["client_secret"].(string)
}

// authorizeURL is the authorisation request of the app, with PKCE.
func authorizeURL(id, redirect, scope, state string) string {
	return "/oauth/authorize?" + url.Values{"client_id": {id}, "redirect_uri": {redirect}, "response_type": {"code"}, "scope": {scope},
		"state": {state}, "code_challenge": {challenge(verifier)}, "code_challenge_method": {"S256"}}.Encode()
}

// probe is a server with one route of the Mastodon API to come, behind
// Bearer and RequireScope(read:statuses): it answers the token's user and
// scopes. Every other path goes to the node.
func probe(t *testing.T, n *testrig.Node) string {
	e := echo.New()
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		var ae *apperr.Error
		if !errors.As(err, &ae) {
			t.Errorf("probe: %v", err)
			_ = c.NoContent(http.StatusInternalServerError)
			return
		}
		_ = c.JSON(ae.Kind.Status(), map[string]string{"error": ae.Message})
	}
	e.GET("/api/v1/accounts/verify_credentials", func(c echo.Context) error {
		at, _ := request.Token(c)
		who := ""
		if at.User != nil {
			who = at.User.Email
		}
		return c.JSON(http.StatusOK, map[string]any{"id": "1", "username": who, "acct": who, "note": at.Scopes.String()})
	}, request.Bearer(n.OAuth), request.RequireScope("read:statuses"))
	e.Any("/*", echo.WrapHandler(n.Handler()))
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv.URL
}
