package auth_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

const password = "correct horse battery staple"

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

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (b *browser) do(method, path string, form url.Values) page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
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

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf reads the CSRF token of the form on the page at path.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	p := b.get(path)
	m := csrfField.FindStringSubmatch(p.body)
	if p.status != http.StatusOK || m == nil {
		b.t.Fatalf("GET %s: %d, no CSRF token in\n%s", path, p.status, p.body)
	}
	return m[1]
}

// signIn sends the sign-in form, with a fresh CSRF token, and next.
func (b *browser) signIn(email, pass, next string) page {
	b.t.Helper()
	form := url.Values{"csrf_token": {b.csrf("/sign-in")}, "email": {email}, "password": {pass}}
	if next != "" {
		form.Set("next", next)
	}
	return b.do(http.MethodPost, "/sign-in", form)
}

// signedIn reports whether the browser's session is signed in, as the
// sign-out page says.
func (b *browser) signedIn() bool {
	b.t.Helper()
	return strings.Contains(b.get("/sign-out").body, "You are signed in as")
}

var summary = regexp.MustCompile(`(?s)<div class="govuk-error-summary".*?</div>`)

// errorSummary is the page's error summary, or "".
func errorSummary(p page) string { return summary.FindString(p.body) }

// startNode starts a node with users, each with the test password.
func startNode(t *testing.T, users map[string]access.Role) *testrig.Node {
	t.Helper()
	n := testrig.StartNode(t, testrig.Options{})
	for email, role := range users {
		if _, err := n.Accounts.CreateUser(context.Background(), email, role, password); err != nil {
			t.Fatal(err)
		}
	}
	return n
}
