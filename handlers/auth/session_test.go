package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/profile"
	"github.com/pollen-coop/pollen/handlers/auth"
	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/web"
)

func TestLocalPath(t *testing.T) {
	for next, want := range map[string]string{
		"/": "/",
		"/oauth/authorize?client_id=a&redirect_uri=urn%3Aietf": "/oauth/authorize?client_id=a&redirect_uri=urn%3Aietf",
		"":                              "",
		"//evil.example":                "",
		"///evil.example":               "",
		"/\\evil.example":               "",
		"https://evil.example/":         "",
		"evil.example":                  "",
		"javascript:alert(1)":           "",
		"/a\nb":                         "",
		"/" + strings.Repeat("a", 2000): "",
	} {
		if got := auth.LocalPath(next); got != want {
			t.Errorf("LocalPath(%q) = %q, want %q", next, got, want)
		}
	}
}

// fakeAccounts signs in anyone with the password "right", as an editor.
type fakeAccounts struct{}

func (fakeAccounts) SignIn(_ context.Context, email, password, _ string) (string, access.User, error) {
	if password != "right" {
		return "", access.User{}, apperr.Errorf(apperr.Unauthorized, access.ErrSignIn)
	}
	return "tok-" + email, access.User{Email: email, Role: access.RoleEditor}, nil
}

func (fakeAccounts) Session(_ context.Context, token string) (access.User, error) {
	if email, ok := strings.CutPrefix(token, "tok-"); ok {
		return access.User{Email: email, Role: access.RoleEditor}, nil
	}
	return access.User{}, apperr.Errorf(apperr.Unauthorized, "no session")
}

func (fakeAccounts) SignOut(context.Context, string) error { return nil }

type fakeProfile struct{}

func (fakeProfile) ActorIRI(h string) string { return "https://pollen.example/actors/" + h }

func (fakeProfile) NodeProfile() profile.Profile { return profile.Profile{Name: "Pollen node"} }

// newSurface is the sign-in surface on https, with a route for admins
// and one for any signed-in user that says who they are.
func newSurface(t *testing.T) *echo.Echo {
	cfg := config.Default()
	cfg.BaseURL, _ = url.Parse("https://pollen.example")
	tmpl, err := web.NewPages()
	if err != nil {
		t.Fatal(err)
	}
	h := auth.New(cfg, tmpl, fakeAccounts{}, nil, fakeProfile{})
	e := echo.New()
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			_ = c.String(ae.Kind.Status(), ae.Message)
			return
		}
		e.DefaultHTTPErrorHandler(err, c)
	}
	h.Mount(e)
	who := func(c echo.Context) error {
		u, _ := request.User(c)
		return c.String(http.StatusOK, u.Email+" "+string(u.Role))
	}
	e.GET("/mine", who, h.Session, auth.RequireUser())
	e.GET("/admin", who, h.Session, auth.RequireUser(access.RoleAdmin))
	return e
}

func serve(e *echo.Echo, method, target string, body url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	var req *http.Request
	if body != nil {
		req = httptest.NewRequest(method, target, strings.NewReader(body.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func TestCookiesOnHTTPS(t *testing.T) {
	e := newSurface(t)
	form := serve(e, http.MethodGet, "/sign-in", nil)
	csrf := form.Result().Cookies()
	if len(csrf) != 1 || csrf[0].Name != "__Host-pollen_csrf" || !csrf[0].Secure || !csrf[0].HttpOnly || csrf[0].SameSite != http.SameSiteLaxMode {
		t.Fatalf("CSRF cookie %+v", csrf)
	}
	res := serve(e, http.MethodPost, "/sign-in", url.Values{"csrf_token": {csrf[0].Value}, "email": {"a@example.org"}, "password": {"right"}}, csrf[0])
	var session *http.Cookie
	for _, c := range res.Result().Cookies() {
		if c.Name == "__Host-pollen_session" {
			session = c
		}
	}
	if res.Code != http.StatusSeeOther || session == nil || !session.Secure || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" {
		t.Fatalf("sign in: %d, session cookie %+v", res.Code, session)
	}

	if rec := serve(e, http.MethodGet, "/mine?x=1", nil); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/sign-in?next=%2Fmine%3Fx%3D1" {
		t.Errorf("not signed in: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := serve(e, http.MethodGet, "/mine", nil, session); rec.Code != http.StatusOK || rec.Body.String() != "a@example.org editor" {
		t.Errorf("signed in: %d %q", rec.Code, rec.Body.String())
	}
	if rec := serve(e, http.MethodGet, "/admin", nil, session); rec.Code != http.StatusForbidden {
		t.Errorf("an editor on an admin's page: %d", rec.Code)
	}
}
