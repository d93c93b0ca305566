package mastoapi_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// The member of staff who signs in to authorise the clients.
const (
	staffEmail    = "asha@example.org"
	staffPassword = "correct horse battery staple"
)

var (
	csrfField  = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	hiddenElem = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	oobCode    = regexp.MustCompile(`<code[^>]* id="authorisation-code">([^<]+)</code>`)
)

// addStaff creates the admin user who authorises the clients on n.
func addStaff(t *testing.T, n *testrig.Node) {
	t.Helper()
	if _, err := n.Accounts.CreateUser(context.Background(), staffEmail, access.RoleAdmin, staffPassword); err != nil {
		t.Fatal(err)
	}
}

// consent is what a member of staff does in the browser when a client
// sends them to authorize (an absolute URL on n, as the client printed
// it): sign in, then press Authorise on the consent page, without
// JavaScript. It returns the out-of-band code shown on the page, or, for
// a client with a redirect URI, the URL the node redirects to (with code
// and state).
func consent(t *testing.T, n *testrig.Node, authorize string) string {
	t.Helper()
	u, err := url.Parse(authorize)
	if err != nil || !strings.HasPrefix(authorize, n.URL+"/") {
		t.Fatalf("authorise URL %q is not on %s (%v)", authorize, n.URL, err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	next := u.RequestURI()
	signIn := page(t, c, http.MethodGet, n.URL+"/sign-in?next="+url.QueryEscape(next), nil)
	m := csrfField.FindStringSubmatch(string(signIn.Body))
	if m == nil {
		t.Fatalf("no CSRF token on the sign-in page: %d\n%s", signIn.Status, signIn.Body)
	}
	r := page(t, c, http.MethodPost, n.URL+"/sign-in", url.Values{"csrf_token": {m[1]}, "email": {staffEmail},
		"password": {staffPassword}, "next": {next}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("sign in: %d\n%s", r.Status, r.Body)
	}
	r = page(t, c, http.MethodGet, authorize, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("consent page: %d\n%s", r.Status, r.Body)
	}
	form := url.Values{}
	for _, f := range hiddenElem.FindAllStringSubmatch(string(r.Body), -1) {
		form.Set(f[1], html.UnescapeString(f[2]))
	}
	form.Set("decision", "authorise")
	r = page(t, c, http.MethodPost, n.URL+"/oauth/authorize", form)
	if r.Status == http.StatusSeeOther {
		return r.Header.Get("Location")
	}
	code := oobCode.FindStringSubmatch(string(r.Body))
	if r.Status != http.StatusOK || code == nil {
		t.Fatalf("authorise: %d, no code shown\n%s", r.Status, r.Body)
	}
	return html.UnescapeString(code[1])
}

// page sends a browser's request (a form body if any) with c.
func page(t *testing.T, c *http.Client, method, target string, form url.Values) testrig.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return testrig.Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// needClient finds a client program nobody here wrote: the path of the
// first of paths that exists or is on the PATH. Without it the test is
// skipped, or fails when CI is set (.ci/run installs every one of them).
func needClient(t *testing.T, install string, paths ...string) string {
	t.Helper()
	for _, p := range paths {
		if p == "" {
			continue
		}
		if found, err := exec.LookPath(p); err == nil {
			return found
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("client missing (looked for %v): %s", paths, install)
	}
	t.Skipf("client missing (looked for %v): %s", paths, install)
	return ""
}

// needMastodonPy finds Debian's python3 with Mastodon.py (python3-mastodon,
// which .ci/run installs), preferred to another python3 first on the PATH.
// Without it the test is skipped, or fails when CI is set.
func needMastodonPy(t *testing.T) string {
	t.Helper()
	python := "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		python = "python3"
	}
	if err := exec.Command(python, "-c", "import mastodon").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Mastodon.py is missing (apt-get install python3-mastodon): %v", err)
		}
		t.Skipf("Mastodon.py is missing (apt-get install python3-mastodon): %v", err)
	}
	return python
}
