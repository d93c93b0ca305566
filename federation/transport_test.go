package federation

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/models"
)

// testSigner is a local actor holding test-key.pem.
func testSigner(t testing.TB) models.Actor {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "test-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	p := testPeer(t)
	p.Local, p.PrivateKeyPEM = true, string(data)
	return p
}

func testConfig(allowPrivate bool) config.Config {
	cfg := config.Default()
	cfg.BaseURL, _ = url.Parse("https://pollen.example")
	cfg.AllowPrivateNetworks = allowPrivate
	cfg.HTTPTimeout = 5 * time.Second
	return cfg
}

// verifyingServer answers 200 with body after checking the request's
// signature as testPeer's; it reports what it saw on seen.
func verifyingServer(t *testing.T, body string, seen chan<- *http.Request) *httptest.Server {
	peer := testPeer(t)
	var v *testVerifier
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		if _, err := v.verify(r.Context(), r, data); err != nil {
			t.Errorf("the server refused the signature: %v", err)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if seen != nil {
			seen <- r
		}
		w.Header().Set("Content-Type", ap.MediaTypeActivity)
		_, _ = io.WriteString(w, body)
	}))
	v = newTestVerifier(&fakeKeys{cached: map[string]models.Actor{peer.KeyID: peer}}, srv.Listener.Addr().String(), false, func() time.Time { return testNow })
	srv.Start()
	return srv
}

func TestTransportRefusesPrivateAddresses(t *testing.T) {
	srv := verifyingServer(t, "{}", nil)
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	tr := NewTransport(testConfig(false), func() time.Time { return testNow })
	for _, u := range []string{srv.URL + "/actor", "http://localhost" + port + "/actor", "http://[::1]" + port + "/"} {
		_, err := tr.Get(context.Background(), testSigner(t), u, AcceptActivity, MaxDocumentSize)
		if !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("GET %s: err = %v, want ErrPrivateAddress", u, err)
		}
		_, err = tr.Post(context.Background(), testSigner(t), u, []byte(testBody))
		if !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("POST %s: err = %v, want ErrPrivateAddress", u, err)
		}
	}
}

func TestTransportSignsAndNamesItself(t *testing.T) {
	seen := make(chan *http.Request, 2)
	srv := verifyingServer(t, `{"ok":true}`, seen)
	defer srv.Close()
	tr := NewTransport(testConfig(true), func() time.Time { return testNow })

	resp, err := tr.Get(context.Background(), testSigner(t), srv.URL+"/actors/org?x=1", AcceptActivity, MaxDocumentSize)
	if err != nil || resp.Status != 200 || string(resp.Body) != `{"ok":true}` {
		t.Fatalf("GET: %+v, %v", resp, err)
	}
	r := <-seen
	if ua := r.Header.Get("User-Agent"); ua != "Pollen/"+Version+" (+https://pollen.example)" {
		t.Errorf("User-Agent = %q", ua)
	}
	if a := r.Header.Get("Accept"); !strings.Contains(a, "application/activity+json") {
		t.Errorf("Accept = %q", a)
	}
	if r.Header.Get("Date") != testNow.Format(http.TimeFormat) {
		t.Errorf("Date = %q, want the injected clock's", r.Header.Get("Date"))
	}

	resp, err = tr.Post(context.Background(), testSigner(t), srv.URL+"/inbox", []byte(testBody))
	if err != nil || resp.Status != 200 {
		t.Fatalf("POST: %+v, %v", resp, err)
	}
	r = <-seen
	if r.Header.Get("Digest") != httpsig.Digest([]byte(testBody)) || r.Header.Get("Content-Type") != ap.MediaTypeActivity {
		t.Errorf("POST headers: %v", r.Header)
	}
}

func TestTransportRedirects(t *testing.T) {
	seen := make(chan *http.Request, 8)
	target := verifyingServer(t, `{}`, seen)
	defer target.Close()
	var redirect *httptest.Server
	redirect = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-target":
			http.Redirect(w, r, target.URL+"/moved/here", http.StatusFound)
		case "/to-private":
			http.Redirect(w, r, "http://10.20.30.40/latest", http.StatusFound)
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusMovedPermanently)
		case "/to-loopback":
			http.Redirect(w, r, "http://127.0.0.2"+target.URL[strings.LastIndex(target.URL, ":"):]+"/x", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/hop1":
			http.Redirect(w, r, redirect.URL+"/hop2", http.StatusMovedPermanently)
		case "/hop2":
			http.Redirect(w, r, "/final", http.StatusTemporaryRedirect)
		case "/final":
			w.Header().Set("Content-Type", ap.MediaTypeActivity)
			_, _ = io.WriteString(w, `{"here":true}`)
		case "/inbox":
			http.Redirect(w, r, target.URL+"/inbox", http.StatusTemporaryRedirect)
		}
	}))
	defer redirect.Close()
	// Only the loopback address 127.0.0.1 counts as public here, so that
	// the first hop is allowed and the guard judges the redirect.
	guard := func(ip net.IP) error {
		if ip.Equal(net.IPv4(127, 0, 0, 1)) {
			return nil
		}
		return checkPublicIP(ip)
	}
	tr := newTransport(testConfig(false), func() time.Time { return testNow }, guard)
	ctx := context.Background()

	// Within the origin, a chain of redirects is followed.
	resp, err := tr.Get(ctx, testSigner(t), redirect.URL+"/hop1", AcceptActivity, MaxDocumentSize)
	if err != nil || resp.Status != 200 || string(resp.Body) != `{"here":true}` || resp.URL != redirect.URL+"/final" {
		t.Fatalf("redirects within the origin: %+v, %v", resp, err)
	}

	// To another origin (another port of the same address), a GET or a
	// POST stops before reaching it.
	resp, err = tr.Get(ctx, testSigner(t), redirect.URL+"/to-target", AcceptActivity, MaxDocumentSize)
	if !errors.Is(err, ErrCrossOrigin) || resp.Status != 0 {
		t.Errorf("GET redirected to another origin: %+v, %v; want ErrCrossOrigin", resp, err)
	}
	if _, err := tr.Post(ctx, testSigner(t), redirect.URL+"/inbox", []byte(testBody)); !errors.Is(err, ErrCrossOrigin) {
		t.Errorf("POST redirected to another origin: %v; want ErrCrossOrigin", err)
	}
	select {
	case r := <-seen:
		t.Errorf("the other origin was reached: %s %s", r.Method, r.URL)
	default:
	}

	// WebFinger may be redirected anywhere public.
	resp, err = tr.GetAnyOrigin(ctx, testSigner(t), redirect.URL+"/to-target", AcceptActivity, MaxDocumentSize)
	if err != nil || resp.Status != 200 {
		t.Fatalf("redirect to an allowed host: %+v, %v", resp, err)
	}
	if r := <-seen; r.URL.Path != "/moved/here" {
		t.Errorf("reached %s", r.URL.Path)
	}
	if resp.URL != target.URL+"/moved/here" {
		t.Errorf("Response.URL = %s", resp.URL)
	}
	for _, p := range []string{"/to-private", "/to-metadata", "/to-loopback"} {
		if _, err := tr.GetAnyOrigin(ctx, testSigner(t), redirect.URL+p, AcceptActivity, MaxDocumentSize); !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("%s: err = %v, want ErrPrivateAddress", p, err)
		}
		if _, err := tr.Get(ctx, testSigner(t), redirect.URL+p, AcceptActivity, MaxDocumentSize); !errors.Is(err, ErrCrossOrigin) {
			t.Errorf("%s: err = %v, want ErrCrossOrigin", p, err)
		}
	}
	if _, err := tr.Get(ctx, testSigner(t), redirect.URL+"/loop", AcceptActivity, MaxDocumentSize); err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Errorf("redirect loop: err = %v", err)
	}
}

func TestSameOrigin(t *testing.T) {
	tests := []struct {
		from, to string
		want     bool
	}{
		{"https://a.example/x", "https://a.example/y?z", true},
		{"https://a.example/x", "https://A.EXAMPLE:443/y", true},
		{"http://a.example/x", "https://a.example/x", true}, // upgrade on the default ports
		{"http://a.example:80/x", "https://a.example:443/x", true},
		{"https://a.example/x", "http://a.example/x", false}, // downgrade
		{"http://a.example:8080/x", "https://a.example/x", false},
		{"https://a.example/x", "https://a.example:8443/x", false},
		{"https://a.example/x", "https://b.example/x", false},
		{"https://a.example/x", "https://sub.a.example/x", false},
		{"https://a.example/x", "https://a.example.evil/x", false},
		{"http://127.0.0.1:1000/x", "http://127.0.0.1:2000/x", false},
		{"https://a.example/x", "ftp://a.example/x", false},
		{"https://a.example/x", "/relative", false},
	}
	for _, tt := range tests {
		from, _ := url.Parse(tt.from)
		to, _ := url.Parse(tt.to)
		if got := sameOrigin(from, to); got != tt.want {
			t.Errorf("sameOrigin(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestTransportSizeLimit(t *testing.T) {
	big := strings.Repeat("a", MaxDocumentSize+1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			w.(http.Flusher).Flush() // no Content-Length
		}
		_, _ = io.WriteString(w, big[:len(big)-len(r.URL.Query().Get("fit"))])
	}))
	defer srv.Close()
	tr := NewTransport(testConfig(true), func() time.Time { return testNow })
	for _, p := range []string{"/length", "/chunked"} {
		if _, err := tr.Get(context.Background(), testSigner(t), srv.URL+p, AcceptActivity, MaxDocumentSize); !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: err = %v, want ErrTooLarge", p, err)
		}
	}
	resp, err := tr.Get(context.Background(), testSigner(t), srv.URL+"/chunked?fit=1", AcceptActivity, MaxDocumentSize)
	if err != nil || len(resp.Body) != MaxDocumentSize {
		t.Errorf("exactly 1 MB: %d bytes, %v", len(resp.Body), err)
	}
}

func TestTransportTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	cfg := testConfig(true)
	cfg.HTTPTimeout = 100 * time.Millisecond
	tr := NewTransport(cfg, func() time.Time { return testNow })
	if _, err := tr.Get(context.Background(), testSigner(t), srv.URL, AcceptActivity, MaxDocumentSize); err == nil {
		t.Fatal("a server that never answers did not time out")
	}
}

func TestTransportBadURLs(t *testing.T) {
	tr := NewTransport(testConfig(true), func() time.Time { return testNow })
	for _, u := range []string{"ftp://x.example/", "/relative", "https://", "file:///etc/passwd"} {
		if _, err := tr.Get(context.Background(), testSigner(t), u, AcceptActivity, MaxDocumentSize); err == nil {
			t.Errorf("%s was fetched", u)
		}
	}
	if _, err := tr.Get(context.Background(), models.Actor{IRI: "x"}, "https://x.example/", AcceptActivity, 10); err == nil {
		t.Error("a signer without a key was accepted")
	}
}

func TestCheckPublicIP(t *testing.T) {
	for _, tt := range []struct {
		ip     string
		public bool
	}{
		{"93.184.215.14", true}, {"2606:4700::6810:85e5", true}, {"1.1.1.1", true},
		{"127.0.0.1", false}, {"127.5.6.7", false}, {"::1", false}, {"10.1.2.3", false},
		{"172.16.0.1", false}, {"192.168.1.1", false}, {"169.254.169.254", false},
		{"fe80::1", false}, {"fc00::1", false}, {"fd12:3456::1", false}, {"0.0.0.0", false},
		{"::", false}, {"224.0.0.1", false}, {"ff02::1", false}, {"::ffff:127.0.0.1", false},
		{"::ffff:10.0.0.1", false}, {"100.64.0.1", false}, {"255.255.255.255", false},
		{"64:ff9b::a00:1", false}, {"2002:7f00:1::", false}, {"198.18.0.1", false},
	} {
		err := checkPublicIP(net.ParseIP(tt.ip))
		if (err == nil) != tt.public {
			t.Errorf("%s: err = %v, want public=%v", tt.ip, err, tt.public)
		}
	}
}
