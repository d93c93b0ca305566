package auth_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/service/access"
)

func TestSignInAndOut(t *testing.T) {
	n := startNode(t, map[string]access.Role{"asha@example.org": access.RoleAdmin})
	b := newBrowser(t, n.URL)

	form := b.get("/sign-in?next=" + url.QueryEscape("/tags/libraries?page=2"))
	for _, want := range []string{`name="email"`, `name="password"`, `type="password"`, `name="next" value="/tags/libraries?page=2"`, `<h1 class="govuk-heading-xl">Sign in</h1>`} {
		if !strings.Contains(form.body, want) {
			t.Errorf("sign-in form lacks %s", want)
		}
	}
	if cc := form.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}

	res := b.signIn("Asha@Example.org", password, "/tags/libraries?page=2")
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/tags/libraries?page=2" {
		t.Fatalf("sign in: %d to %q\n%s", res.status, res.header.Get("Location"), res.body)
	}
	cookie := res.header.Get("Set-Cookie")
	for _, want := range []string{"pollen_session=pollen_session_", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(strings.Join(res.header.Values("Set-Cookie"), "\n"), want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("cookie %q is Secure on http", cookie)
	}
	out := b.get("/sign-out")
	if !strings.Contains(out.body, "You are signed in as asha@example.org") || !strings.Contains(out.body, `<button type="submit" class="govuk-button">Sign out</button>`) {
		t.Errorf("sign-out page:\n%s", out.body)
	}
	res = b.do(http.MethodPost, "/sign-out", url.Values{"csrf_token": {b.csrf("/sign-out")}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/sign-in" {
		t.Errorf("sign out: %d to %q", res.status, res.header.Get("Location"))
	}
	if b.signedIn() {
		t.Error("still signed in after signing out")
	}
}

func TestSignInRefusals(t *testing.T) {
	n := startNode(t, map[string]access.Role{
		"tom@example.org": access.RoleEditor, "priya@example.org": access.RoleEditor, "sam@example.org": access.RoleAdmin,
	})

	t.Run("empty fields", func(t *testing.T) {
		res := newBrowser(t, n.URL).signIn("", "", "")
		if res.status != http.StatusUnprocessableEntity ||
			!strings.Contains(res.body, `<a href="#email">Enter your email address</a>`) ||
			!strings.Contains(res.body, `<a href="#password">Enter your password</a>`) ||
			!strings.Contains(res.body, `id="email-error"`) || !strings.Contains(res.body, "<title>Error: Sign in") {
			t.Errorf("%d\n%s", res.status, res.body)
		}
	})

	t.Run("wrong password and unknown email answer alike", func(t *testing.T) {
		wrong := newBrowser(t, n.URL).signIn("tom@example.org", "not the password", "")
		unknown := newBrowser(t, n.URL).signIn("nobody@example.org", password, "")
		if wrong.status != http.StatusUnauthorized || unknown.status != wrong.status {
			t.Errorf("statuses %d and %d, want 401", wrong.status, unknown.status)
		}
		if s := errorSummary(wrong); s == "" || s != errorSummary(unknown) || !strings.Contains(s, access.ErrSignIn) {
			t.Errorf("summaries differ or lack the message:\n%s\n%s", s, errorSummary(unknown))
		}
		if len(wrong.header.Values("Set-Cookie")) != len(unknown.header.Values("Set-Cookie")) {
			t.Errorf("cookies differ: %q, %q", wrong.header.Values("Set-Cookie"), unknown.header.Values("Set-Cookie"))
		}
	})

	t.Run("throttled", func(t *testing.T) {
		b := newBrowser(t, n.URL)
		for i := 0; i < access.AccountFailures; i++ {
			if res := b.signIn("priya@example.org", "not the password", ""); res.status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d", i+1, res.status)
			}
		}
		res := b.signIn("priya@example.org", password, "")
		secs, err := strconv.Atoi(res.header.Get("Retry-After"))
		if res.status != http.StatusTooManyRequests || err != nil || secs <= 0 || !strings.Contains(errorSummary(res), "Too many failed sign-ins") {
			t.Errorf("%d, Retry-After %q\n%s", res.status, res.header.Get("Retry-After"), errorSummary(res))
		}
		if b.signedIn() {
			t.Error("signed in while throttled")
		}
	})

	t.Run("CSRF token missing or wrong", func(t *testing.T) {
		b := newBrowser(t, n.URL)
		b.csrf("/sign-in") // the cookie
		for _, token := range []string{"", "forged"} {
			form := url.Values{"email": {"sam@example.org"}, "password": {password}}
			if token != "" {
				form.Set("csrf_token", token)
			}
			res := b.do(http.MethodPost, "/sign-in", form)
			if res.status != http.StatusForbidden || res.header.Get("Location") != "" {
				t.Errorf("token %q: %d", token, res.status)
			}
		}
		// Without the cookie, a token of another browser does not do.
		stranger := newBrowser(t, n.URL)
		res := stranger.do(http.MethodPost, "/sign-in", url.Values{"csrf_token": {b.csrf("/sign-in")}, "email": {"sam@example.org"}, "password": {password}})
		if res.status != http.StatusForbidden {
			t.Errorf("another browser's token: %d", res.status)
		}
		if b.signedIn() || stranger.signedIn() {
			t.Error("signed in without a valid token")
		}
		// Signed in, sign-out needs the session's token.
		if res := b.signIn("sam@example.org", password, ""); res.status != http.StatusSeeOther {
			t.Fatalf("sign in: %d", res.status)
		}
		for _, form := range []url.Values{{}, {"csrf_token": {"forged"}}} {
			if res := b.do(http.MethodPost, "/sign-out", form); res.status != http.StatusForbidden {
				t.Errorf("sign out with %v: %d", form, res.status)
			}
		}
		if !b.signedIn() {
			t.Error("signed out by a form without the token")
		}
	})

	t.Run("disabled user", func(t *testing.T) {
		b := newBrowser(t, n.URL)
		if res := b.signIn("tom@example.org", password, ""); res.status != http.StatusSeeOther {
			t.Fatalf("sign in: %d", res.status)
		}
		if err := n.Accounts.DisableUser(context.Background(), "tom@example.org"); err != nil {
			t.Fatal(err)
		}
		if b.signedIn() {
			t.Error("a disabled user's session still works")
		}
		res := b.signIn("tom@example.org", password, "")
		if res.status != http.StatusUnauthorized || !strings.Contains(errorSummary(res), access.ErrSignIn) {
			t.Errorf("disabled user signing in: %d\n%s", res.status, errorSummary(res))
		}
	})

	t.Run("next must be a local path", func(t *testing.T) {
		for _, next := range []string{"//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/ok\r\nSet-Cookie: x"} {
			b := newBrowser(t, n.URL)
			if form := b.get("/sign-in?next=" + url.QueryEscape(next)); strings.Contains(form.body, `name="next"`) {
				t.Errorf("next %q kept in the form", next)
			}
			res := b.signIn("sam@example.org", password, next)
			if res.status != http.StatusSeeOther || res.header.Get("Location") != "/" {
				t.Errorf("next %q: %d to %q, want /", next, res.status, res.header.Get("Location"))
			}
		}
	})
}
