package federation

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gofed "github.com/go-fed/httpsig"

	"github.com/pollen-coop/pollen/federation/fetch"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// fakeKeys is a fetch.KeyOwners over fixed actors: cached answers
// refresh=false, fresh answers refresh=true (the key as re-fetched).
type fakeKeys struct {
	cached  map[string]models.Actor
	fresh   map[string]models.Actor
	err     error
	fetches int
}

func (f *fakeKeys) ActorForKey(_ context.Context, keyID string, refresh bool) (models.Actor, error) {
	if f.err != nil {
		return models.Actor{}, f.err
	}
	if refresh {
		f.fetches++
		if a, ok := f.fresh[keyID]; ok {
			return a, nil
		}
	} else if a, ok := f.cached[keyID]; ok {
		return a, nil
	}
	return models.Actor{}, apperr.Errorf(apperr.BadGateway, "no key %s", keyID)
}

func readTestKey(t testing.TB, name string) *rsa.PrivateKey {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
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
// (testrig imports federation).
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

func wantStatus(t testing.TB, err error, status int, reason string) {
	t.Helper()
	var fe *apperr.Error
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want a %d *apperr.Error", err, status)
	}
	if fe.Kind.Status() != status || !strings.Contains(fe.Message, reason) {
		t.Fatalf("err = %d %q, want %d with %q", fe.Kind.Status(), fe.Message, status, reason)
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

// testVerifier is a verifier over key owners a test gives, which the test
// may swap.
type testVerifier struct {
	*verifier
	owners *ownerSwitch
}

// ownerSwitch is the key owners of a testVerifier.
type ownerSwitch struct{ fetch.KeyOwners }

// newTestVerifier is the verifier of a node at host (over https or not)
// with the clock now, finding keys with owners.
func newTestVerifier(owners fetch.KeyOwners, host string, https bool, now func() time.Time) *testVerifier {
	scheme := "http"
	if https {
		scheme = "https"
	}
	sw := &ownerSwitch{owners}
	keys := fetch.NewKeys(sw, now)
	return &testVerifier{verifier: &verifier{sigs: httpsig.NewVerifier(keys, host, scheme, now), keys: keys}, owners: sw}
}

// swap makes v find keys with owners, forgetting what it kept of actor's
// key; what it knows of keys fetched again stays.
func (v *testVerifier) swap(owners fetch.KeyOwners, actor models.Actor) {
	v.owners.KeyOwners = owners
	v.keys.Forget(actor.IRI, actor.KeyID)
}

func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
