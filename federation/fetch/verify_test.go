package fetch

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	gofed "github.com/go-fed/httpsig"

	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/models"
)

// testdata is the test data of package federation, which these tests
// share: actor documents, signed requests and the test keys.
const testdata = "../testdata"

// fakeKeys is a KeyOwners over fixed actors: cached answers refresh=false,
// fresh answers refresh=true (the key as re-fetched).
type fakeKeys struct {
	cached map[string]models.Actor
	fresh  map[string]models.Actor
}

func (f *fakeKeys) ActorForKey(_ context.Context, keyID string, refresh bool) (models.Actor, error) {
	m := f.cached
	if refresh {
		m = f.fresh
	}
	if a, ok := m[keyID]; ok {
		return a, nil
	}
	return models.Actor{}, badAnswer("no key "+keyID, nil)
}

// testVerifier verifies requests as the node does: httpsig's checks and
// signature, with keys and their owners from a Keys.
type testVerifier struct {
	sigs *httpsig.Verifier
	keys *Keys
}

// newTestVerifier is the verifier of a node at host (over https or not)
// with the clock now, finding keys with owners.
func newTestVerifier(owners KeyOwners, host string, https bool, now func() time.Time) *testVerifier {
	scheme := "http"
	if https {
		scheme = "https"
	}
	keys := NewKeys(owners, now)
	return &testVerifier{sigs: httpsig.NewVerifier(keys, host, scheme, now), keys: keys}
}

// verify checks r, whose body is body, and returns its signer.
func (v *testVerifier) verify(ctx context.Context, r *http.Request, body []byte) (models.Actor, error) {
	p, err := v.sigs.Check(r, len(body) > 0 || r.ContentLength > 0)
	if err != nil {
		return models.Actor{}, err
	}
	key, err := v.sigs.Verify(ctx, r, p)
	if err != nil {
		return models.Actor{}, err
	}
	signer, err := v.keys.Signer(ctx, key)
	if err != nil {
		return models.Actor{}, err
	}
	return signer, p.CheckBody(body)
}

// wantStatus wants err to be a refusal of package httpsig answered, as
// package federation answers it, with status (400 for a malformed header,
// 401 for every other) and a message containing reason.
func wantStatus(t testing.TB, err error, status int, reason string) {
	t.Helper()
	var e *httpsig.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want a refusal answered %d", err, status)
	}
	got := http.StatusUnauthorized
	if errors.Is(e.Kind, httpsig.ErrMalformed) {
		got = http.StatusBadRequest
	}
	if got != status || !strings.Contains(e.Message, reason) {
		t.Fatalf("err = %d %q, want %d with %q", got, e.Message, status, reason)
	}
}

func readTestKey(t testing.TB, name string) *rsa.PrivateKey {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testdata, name))
	if err != nil {
		t.Fatal(err)
	}
	k, err := httpsig.ParsePrivateKeyPEM(string(data))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func publicPEM(t testing.TB, k *rsa.PrivateKey) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// sharedFixtures is ../shared/fixtures beside the repository; when it is
// missing the test fails if CI is set and is skipped otherwise. It is
// testrig.Shared for this package's own tests, which cannot import testrig
// (testrig imports federation, which imports fetch).
func sharedFixtures(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for ; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if dir == filepath.Dir(dir) {
			t.Fatal("no go.mod above the test")
		}
	}
	fx := filepath.Join(dir, "..", "shared", "fixtures")
	if _, err := os.Stat(fx); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the shared test data %s is missing (%v): CI must run every test that reads ../shared, so put the shared folder beside the repository", fx, err)
		}
		t.Skipf("skipped: the shared test data %s is missing (put the shared folder beside the repository to run this test; with CI set it fails)", fx)
	}
	return fx
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// signAs signs r over the given header list as another server would, and
// writes its algorithm name.
func signAs(t testing.TB, r *http.Request, key *rsa.PrivateKey, keyID, algorithm, headers string, body []byte) {
	t.Helper()
	signer, _, err := gofed.NewSigner([]gofed.Algorithm{gofed.RSA_SHA256}, gofed.DigestSha256, strings.Fields(headers), gofed.Signature, 0)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Host", r.Host)
	if err := signer.SignRequest(key, keyID, r, body); err != nil {
		t.Fatal(err)
	}
	r.Header.Del("Host")
	sig := r.Header.Get("Signature")
	if algorithm == "" {
		sig = strings.Replace(sig, `algorithm="hs2019",`, "", 1)
	} else {
		sig = strings.Replace(sig, `algorithm="hs2019"`, `algorithm="`+algorithm+`"`, 1)
	}
	r.Header.Set("Signature", sig)
}

// captured is a request as ../shared/fixtures/gotosocial holds it.
type captured struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers"`
	BodyRaw *string           `json:"body_raw"`
}

func (c captured) request(t testing.TB) (*http.Request, []byte) {
	t.Helper()
	var body []byte
	if c.BodyRaw != nil {
		body = []byte(*c.BodyRaw)
	}
	r := httptest.NewRequest(c.Method, "http://"+c.Headers["Host"]+c.Path, bytes.NewReader(body))
	for k, v := range c.Headers {
		if k != "Host" {
			r.Header.Set(k, v)
		}
	}
	return r, body
}

// goToSocialAlice is alice's actor as key-alice.json and actor-alice.json
// give it.
func goToSocialAlice(t *testing.T, fx string) models.Actor {
	t.Helper()
	var doc struct {
		Body json.RawMessage `json:"body"`
	}
	readJSON(t, filepath.Join(fx, "gotosocial", "actor-alice.json"), &doc)
	d, err := decodeRemoteActor(doc.Body)
	if err != nil {
		t.Fatal(err)
	}
	a, err := d.toModel(doc.Body, "http://localhost:50445/users/alice/main-key", time.Time{})
	if err != nil {
		t.Fatalf("actor-alice.json: %v", err)
	}
	var key struct {
		Body json.RawMessage `json:"body"`
	}
	readJSON(t, filepath.Join(fx, "gotosocial", "key-alice.json"), &key)
	kd, err := decodeRemoteActor(key.Body)
	if err != nil {
		t.Fatal(err)
	}
	k, ok := kd.key(a.KeyID)
	if !ok || k.PublicKeyPem != a.PublicKeyPEM || k.Owner != a.IRI {
		t.Fatalf("key-alice.json does not hold alice's key %s", a.KeyID)
	}
	return a
}

// TestVerifyGoToSocialFixtures verifies every request GoToSocial sent, with
// the clock at its Date, and refuses each when the clock is two hours off.
func TestVerifyGoToSocialFixtures(t *testing.T) {
	fx := sharedFixtures(t)
	alice := goToSocialAlice(t, fx)
	files, _ := filepath.Glob(filepath.Join(fx, "gotosocial", "[0-9][0-9]-inbox-*.json"))
	gets, _ := filepath.Glob(filepath.Join(fx, "gotosocial", "get-*.json"))
	files = append(files, gets...)
	if len(files) < 10 {
		t.Fatalf("found %d GoToSocial requests, want the 9 POSTs and 5 GETs", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var c captured
			readJSON(t, f, &c)
			if !strings.Contains(c.Headers["Signature"], `algorithm="hs2019"`) {
				t.Errorf("expected GoToSocial's hs2019, got %s", c.Headers["Signature"])
			}
			date, err := http.ParseTime(c.Headers["Date"])
			if err != nil {
				t.Fatal(err)
			}
			keys := &fakeKeys{cached: map[string]models.Actor{alice.KeyID: alice}}
			// The captures were signed for bob's server: this node takes
			// them only when that is its host.
			bob := c.Headers["Host"]
			h, port, _ := net.SplitHostPort(bob)
			p, _ := strconv.Atoi(port)
			for _, host := range []string{"pollen.example", h, net.JoinHostPort(h, strconv.Itoa(p+1))} {
				v := newTestVerifier(keys, host, false, func() time.Time { return date })
				r, body := c.request(t)
				_, err := v.verify(context.Background(), r, body)
				wantStatus(t, err, http.StatusUnauthorized, "signed for the host "+httpsig.Quote(bob)+", not for this node ("+host+")")
			}
			clock := date
			v := newTestVerifier(keys, bob, false, func() time.Time { return clock })
			r, body := c.request(t)
			signer, err := v.verify(context.Background(), r, body)
			if err != nil {
				t.Fatalf("verify at its Date: %v", err)
			}
			if signer.IRI != "http://localhost:50445/users/alice" {
				t.Errorf("signer = %s", signer.IRI)
			}
			for _, skew := range []time.Duration{2 * time.Hour, -2 * time.Hour} {
				clock = date.Add(skew)
				r, body := c.request(t)
				_, err := v.verify(context.Background(), r, body)
				wantStatus(t, err, http.StatusUnauthorized, "the Date is more than an hour")
			}
			if c.Method == http.MethodPost {
				clock = date
				r, body := c.request(t)
				body = append(bytes.Clone(body[:len(body)-1]), ' ')
				_, err := v.verify(context.Background(), r, body)
				wantStatus(t, err, http.StatusUnauthorized, "Digest does not match")
			}
		})
	}
}

// ownFixture is a request in federation/testdata/signed.
type ownFixture struct {
	Actor   string            `json:"actor"`
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Sign    struct {
		KeyID     string `json:"keyId"`
		Algorithm string `json:"algorithm"`
		Headers   string `json:"headers"`
	} `json:"sign"`
	BodyRaw *string `json:"body_raw"`
}

// TestVerifyOtherServers signs the shapes Mastodon, Pleroma/Akkoma and
// Misskey send with a test key and verifies them, reading each sender's
// actor document the way a fetch would.
func TestVerifyOtherServers(t *testing.T) {
	key := readTestKey(t, "test-key.pem")
	files, _ := filepath.Glob(filepath.Join(testdata, "signed", "*.json"))
	if len(files) < 5 {
		t.Fatalf("found %d fixtures", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var fx ownFixture
			readJSON(t, f, &fx)
			raw, err := os.ReadFile(filepath.Join(testdata, fx.Actor))
			if err != nil {
				t.Fatal(err)
			}
			raw = bytes.ReplaceAll(raw, []byte("TEST_PUBLIC_KEY"), []byte(jsonEscape(publicPEM(t, key))))
			d, err := decodeRemoteActor(raw)
			if err != nil {
				t.Fatal(err)
			}
			actor, err := d.toModel(raw, fx.Sign.KeyID, time.Time{})
			if err != nil {
				t.Fatalf("%s: %v", fx.Actor, err)
			}
			date, err := http.ParseTime(fx.Headers["Date"])
			if err != nil {
				t.Fatal(err)
			}
			r, body := fx.request(t)
			signAs(t, r, key, fx.Sign.KeyID, fx.Sign.Algorithm, fx.Sign.Headers, body)
			v := newTestVerifier(&fakeKeys{cached: map[string]models.Actor{actor.KeyID: actor}}, "pollen.example", true, func() time.Time { return date.Add(30 * time.Minute) })
			signer, err := v.verify(context.Background(), r, body)
			if err != nil {
				t.Fatalf("verify: %v (Signature: %s)", err, r.Header.Get("Signature"))
			}
			if signer.IRI != actor.IRI {
				t.Errorf("signer = %s, want %s", signer.IRI, actor.IRI)
			}
		})
	}
}

func (fx ownFixture) request(t testing.TB) (*http.Request, []byte) {
	var body []byte
	if fx.BodyRaw != nil {
		body = []byte(*fx.BodyRaw)
	}
	r := httptest.NewRequest(fx.Method, fx.URL, bytes.NewReader(body))
	for k, v := range fx.Headers {
		if k != "Host" {
			r.Header.Set(k, v)
		}
	}
	r.Host = fx.Headers["Host"]
	if body != nil {
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	return r, body
}

func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
