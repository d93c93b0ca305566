package admin_test

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

// client is a browser without script: an HTTP client with its cookies
// that follows no redirect.
type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

// answer is a page: status, headers and body.
type answer struct {
	status int
	header http.Header
	body   string
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (b *client) do(method, path string, form url.Values) answer {
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
	return answer{status: resp.StatusCode, header: resp.Header, body: string(data)}
}

func (b *client) get(path string) answer { b.t.Helper(); return b.do(http.MethodGet, path, nil) }

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf reads the CSRF token of the form on the page at path.
func (b *client) csrf(path string) string {
	b.t.Helper()
	p := b.get(path)
	m := csrfField.FindStringSubmatch(p.body)
	if p.status != http.StatusOK || m == nil {
		b.t.Fatalf("GET %s: %d, no CSRF token in\n%s", path, p.status, p.body)
	}
	return m[1]
}

// post sends form to path with the CSRF token of the page at path.
func (b *client) post(path string, form url.Values) answer {
	b.t.Helper()
	form.Set("csrf_token", b.csrf(path))
	return b.do(http.MethodPost, path, form)
}

// signIn signs in as email with the test password.
func (b *client) signIn(email string) {
	b.t.Helper()
	form := url.Values{"csrf_token": {b.csrf("/sign-in")}, "email": {email}, "password": {password}}
	if p := b.do(http.MethodPost, "/sign-in", form); p.status != http.StatusSeeOther {
		b.t.Fatalf("sign in as %s: %d %s", email, p.status, p.body)
	}
}

// addUser makes a user of n with the test password.
func addUser(t *testing.T, n *testrig.Node, email string, role access.Role) {
	t.Helper()
	if _, err := n.Accounts.CreateUser(context.Background(), email, role, password); err != nil {
		t.Fatal(err)
	}
}

// caseForm is a valid case study form, as a browser sends it.
func caseForm(title, action string) url.Values {
	return url.Values{
		"title": {title}, "summary": {"How a library mutual kept five branches open."},
		"body": {"## Background\n\nWe **did** it."}, "stage": {"operating"}, "service_area": {"libraries"},
		"region": {""}, "region_other": {""}, "organisation_type": {"public service mutual"},
		"outcomes": {"Five branches open", ""}, "lessons": {""},
		"savings.amount": {"125000"}, "savings.currency": {"GBP"}, "savings.period": {"year"},
		"contact.name": {"Ann Smith"}, "contact.email": {"ann@example.org"}, "tags": {"libraries, mutuals"},
		"action": {action},
	}
}

// auditLines are n's audit log, newest first, as "who action target".
func auditLines(t *testing.T, n *testrig.Node) []string {
	t.Helper()
	rows, _, err := n.Store.Audit.List(context.Background(), 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.Who+" "+r.Action+" "+r.Target)
	}
	return out
}
