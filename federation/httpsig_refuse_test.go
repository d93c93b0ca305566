package federation

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

var testNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

const testBody = `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://peer.example/activities/1","type":"Follow","actor":"https://peer.example/actors/org","object":"https://pollen.example/actors/pollen"}`

func testPeer(t testing.TB) models.Actor {
	k := readTestKey(t, "test-key.pem")
	fetched := testNow.Add(-24 * time.Hour)
	return models.Actor{
		IRI: "https://peer.example/actors/org", Host: "peer.example", KeyID: "https://peer.example/actors/org#main-key",
		PublicKeyPEM: publicPEM(t, k), Inbox: "https://peer.example/actors/org/inbox", FetchedAt: &fetched,
	}
}

// signedPost is a POST to pollen.example's inbox signed by testPeer with
// httpsig.Sign at date.
func signedPost(t testing.TB, keyFile string, date time.Time, body []byte) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "https://pollen.example/inbox", strings.NewReader(string(body)))
	r.Header.Set("Content-Type", ap.MediaTypeActivity)
	key := httpsig.Key{KeyID: "https://peer.example/actors/org#main-key", Key: readTestKey(t, keyFile)}
	if err := httpsig.Sign(r, key, body, date); err != nil {
		t.Fatal(err)
	}
	return r
}

// customPost signs a POST over headers with algorithm, setting digest
// (if not empty) as the Digest header before signing.
func customPost(t testing.TB, headers, algorithm, digest string, body []byte) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "https://pollen.example/inbox", strings.NewReader(string(body)))
	r.Header.Set("Date", testNow.Format(http.TimeFormat))
	if digest != "" {
		r.Header.Set("Digest", digest)
	}
	signAs(t, r, readTestKey(t, "test-key.pem"), "https://peer.example/actors/org#main-key", algorithm, headers, nil)
	return r
}

func TestSignRequestHeaders(t *testing.T) {
	body := []byte(testBody)
	r := signedPost(t, "test-key.pem", testNow, body)
	sig := r.Header.Get("Signature")
	for _, want := range []string{
		`keyId="https://peer.example/actors/org#main-key"`, `algorithm="rsa-sha256"`,
		`headers="(request-target) host date digest"`,
	} {
		if !strings.Contains(sig, want) {
			t.Errorf("Signature %s lacks %s", sig, want)
		}
	}
	if got := r.Header.Get("Date"); got != "Fri, 02 Jan 2026 03:04:05 GMT" {
		t.Errorf("Date = %q", got)
	}
	if got := r.Header.Get("Digest"); got != httpsig.Digest(body) {
		t.Errorf("Digest = %q, want %q", got, httpsig.Digest(body))
	}
	if r.Header.Get("Host") != "" {
		t.Error("the Host header was left in the map")
	}
	get := httptest.NewRequest(http.MethodGet, "https://pollen.example/actors/pollen?page=1", nil)
	if err := httpsig.Sign(get, httpsig.Key{KeyID: "https://peer.example/actors/org#main-key", Key: readTestKey(t, "test-key.pem")}, nil, testNow); err != nil {
		t.Fatal(err)
	}
	if s := get.Header.Get("Signature"); !strings.Contains(s, `headers="(request-target) host date"`) || get.Header.Get("Digest") != "" {
		t.Errorf("GET signed as %s, Digest %q", s, get.Header.Get("Digest"))
	}
	v := newTestVerifier(&fakeKeys{cached: map[string]models.Actor{testPeer(t).KeyID: testPeer(t)}}, "pollen.example", true, func() time.Time { return testNow })
	if _, err := v.verify(context.Background(), get, nil); err != nil {
		t.Errorf("verify our GET: %v", err)
	}
}

// TestVerifyRefusals tables every way a request is refused.
func TestVerifyRefusals(t *testing.T) {
	body := []byte(testBody)
	sum := sha512.Sum512(body)
	sha512Digest := "SHA-512=" + base64.StdEncoding.EncodeToString(sum[:])
	peer := testPeer(t)
	tests := []struct {
		name    string
		request func() *http.Request
		body    []byte
		keys    *fakeKeys
		status  int // 0: accepted
		reason  string
	}{
		{name: "valid", request: func() *http.Request { return signedPost(t, "test-key.pem", testNow, body) }},
		{name: "valid with SHA-256 and SHA-512 digests", request: func() *http.Request {
			return customPost(t, "(request-target) host date digest", "rsa-sha256", httpsig.Digest(body)+", "+sha512Digest, body)
		}},
		{name: "valid without an algorithm", request: func() *http.Request {
			return customPost(t, "(request-target) host date digest", "", httpsig.Digest(body), body)
		}},
		{name: "unsigned", request: func() *http.Request {
			r := signedPost(t, "test-key.pem", testNow, body)
			r.Header.Del("Signature")
			return r
		}, status: 401, reason: "not signed"},
		{name: "bad signature", request: func() *http.Request {
			r := signedPost(t, "test-key.pem", testNow, body)
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), `signature="`, `signature="AAAA`, 1))
			return r
		}, status: 401, reason: "does not verify"},
		{name: "wrong key", request: func() *http.Request { return signedPost(t, "test-key-2.pem", testNow, body) },
			status: 401, reason: "does not verify"},
		{name: "missing Digest header", request: func() *http.Request {
			r := signedPost(t, "test-key.pem", testNow, body)
			r.Header.Del("Digest")
			return r
		}, status: 401, reason: "no Digest header"},
		{name: "digest not signed", request: func() *http.Request {
			return customPost(t, "(request-target) host date", "rsa-sha256", "", body)
		}, status: 401, reason: "does not cover digest"},
		{name: "digest mismatch", request: func() *http.Request { return signedPost(t, "test-key.pem", testNow, body) },
			body: []byte(strings.Replace(testBody, "Follow", "Block", 1)), status: 401, reason: "Digest does not match"},
		{name: "unsupported digest algorithm", request: func() *http.Request {
			return customPost(t, "(request-target) host date digest", "rsa-sha256", sha512Digest, body)
		}, status: 401, reason: "SHA-256 is required"},
		{name: "malformed digest", request: func() *http.Request {
			return customPost(t, "(request-target) host date digest", "rsa-sha256", "SHA-256=not base64!", body)
		}, status: 400, reason: "not a base64 SHA-256"},
		{name: "stale date", request: func() *http.Request { return signedPost(t, "test-key.pem", testNow.Add(-61*time.Minute), body) },
			status: 401, reason: "stale"},
		{name: "future date", request: func() *http.Request { return signedPost(t, "test-key.pem", testNow.Add(61*time.Minute), body) },
			status: 401, reason: "in the future"},
		{name: "malformed date", request: func() *http.Request {
			r := signedPost(t, "test-key.pem", testNow, body)
			r.Header.Set("Date", "yesterday")
			return r
		}, status: 400, reason: "not an HTTP date"},
		{name: "host not signed", request: func() *http.Request {
			return customPost(t, "(request-target) date digest", "rsa-sha256", httpsig.Digest(body), body)
		}, status: 401, reason: "does not cover host"},
		{name: "date not signed", request: func() *http.Request {
			return customPost(t, "(request-target) host digest", "rsa-sha256", httpsig.Digest(body), body)
		}, status: 401, reason: "does not cover date"},
		{name: "request-target not signed", request: func() *http.Request {
			return customPost(t, "host date digest", "rsa-sha256", httpsig.Digest(body), body)
		}, status: 401, reason: "does not cover (request-target)"},
		{name: "no headers parameter (date only)", request: func() *http.Request {
			r := signedPost(t, "test-key.pem", testNow, body)
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), `headers="(request-target) host date digest",`, "", 1))
			return r
		}, status: 401, reason: "does not cover (request-target)"},
		{name: "unknown algorithm", request: func() *http.Request {
			return customPost(t, "(request-target) host date digest", "hmac-sha256", httpsig.Digest(body), body)
		}, status: 401, reason: "unsupported signature algorithm"},
		{name: "key fetch failure", request: func() *http.Request { return signedPost(t, "test-key.pem", testNow, body) },
			keys: &fakeKeys{err: apperr.Errorf(apperr.BadGateway, "peer.example answered 500")}, status: 401, reason: "could not get the signing key"},
		{name: "key owner on another host", request: func() *http.Request { return signedPost(t, "test-key.pem", testNow, body) },
			keys: &fakeKeys{cached: map[string]models.Actor{peer.KeyID: func() models.Actor {
				a := peer
				a.IRI = "https://evil.example/actors/org"
				return a
			}()}}, status: 401, reason: "not on the host"},
		{name: "another path", request: func() *http.Request {
			r := signedPost(t, "test-key.pem", testNow, body)
			r.URL.Path = "/actors/pollen/inbox"
			return r
		}, status: 401, reason: "does not verify"},
		{name: "another host", request: func() *http.Request {
			r := signedPost(t, "test-key.pem", testNow, body)
			r.Host = "other.example"
			return r
		}, status: 401, reason: "signed for the host \"other.example\", not for this node (pollen.example)"},
		{name: "signed for another host, replayed here", request: func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "https://other.example/inbox", strings.NewReader(string(body)))
			if err := httpsig.Sign(r, httpsig.Key{KeyID: peer.KeyID, Key: readTestKey(t, "test-key.pem")}, body, testNow); err != nil {
				t.Fatal(err)
			}
			r.URL.Host = "pollen.example" // the same bytes, sent to this node
			return r
		}, status: 401, reason: "signed for the host \"other.example\""},
		{name: "signed for another port of this host", request: func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "https://pollen.example:8443/inbox", strings.NewReader(string(body)))
			if err := httpsig.Sign(r, httpsig.Key{KeyID: peer.KeyID, Key: readTestKey(t, "test-key.pem")}, body, testNow); err != nil {
				t.Fatal(err)
			}
			return r
		}, status: 401, reason: "signed for the host \"pollen.example:8443\""},
		{name: "the scheme's default port named", request: func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "https://POLLEN.example:443/inbox", strings.NewReader(string(body)))
			if err := httpsig.Sign(r, httpsig.Key{KeyID: peer.KeyID, Key: readTestKey(t, "test-key.pem")}, body, testNow); err != nil {
				t.Fatal(err)
			}
			return r
		}},
		{name: "http's default port on an https node", request: func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "http://pollen.example:80/inbox", strings.NewReader(string(body)))
			if err := httpsig.Sign(r, httpsig.Key{KeyID: peer.KeyID, Key: readTestKey(t, "test-key.pem")}, body, testNow); err != nil {
				t.Fatal(err)
			}
			return r
		}, status: 401, reason: "signed for the host"},
		{name: "keyId not UTF-8", request: func() *http.Request {
			r := signedPost(t, "test-key.pem", testNow, body)
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), "peer.example/actors", "peer.example/\xffactors", 1))
			return r
		}, status: 400, reason: "not valid UTF-8"},
		{name: "malformed Signature header", request: func() *http.Request {
			r := signedPost(t, "test-key.pem", testNow, body)
			r.Header.Set("Signature", "garbage")
			return r
		}, status: 400, reason: "not a list"},
		{name: "two Signature headers", request: func() *http.Request {
			r := signedPost(t, "test-key.pem", testNow, body)
			r.Header.Add("Signature", r.Header.Get("Signature"))
			return r
		}, status: 400, reason: "more than one Signature"},
		{name: "keyId not a URL", request: func() *http.Request {
			r := signedPost(t, "test-key.pem", testNow, body)
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), "https://peer.example/actors/org#main-key", "main-key", 1))
			return r
		}, status: 400, reason: "not an http or https URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys := tt.keys
			if keys == nil {
				keys = &fakeKeys{cached: map[string]models.Actor{peer.KeyID: peer}}
			}
			v := newTestVerifier(keys, "pollen.example", true, func() time.Time { return testNow })
			b := body
			if tt.body != nil {
				b = tt.body
			}
			signer, err := v.verify(context.Background(), tt.request(), b)
			if tt.status == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if signer.IRI != peer.IRI {
					t.Errorf("signer = %s", signer.IRI)
				}
				return
			}
			wantStatus(t, err, tt.status, tt.reason)
		})
	}
}

// TestVerifyKeyRotation re-fetches a key that fails, at most once a
// minute, even when it was first fetched a moment ago.
func TestVerifyKeyRotation(t *testing.T) {
	body := []byte(testBody)
	peer := testPeer(t)
	old := peer
	old.PublicKeyPEM = publicPEM(t, readTestKey(t, "test-key-2.pem"))
	recent := testNow.Add(-10 * time.Second)

	keys := &fakeKeys{cached: map[string]models.Actor{peer.KeyID: old}, fresh: map[string]models.Actor{peer.KeyID: peer}}
	v := newTestVerifier(keys, "pollen.example", true, func() time.Time { return testNow })
	if _, err := v.verify(context.Background(), signedPost(t, "test-key.pem", testNow, body), body); err != nil {
		t.Fatalf("rotated key: %v", err)
	}
	if keys.fetches != 1 {
		t.Errorf("fetched the key %d times, want 1", keys.fetches)
	}

	keys = &fakeKeys{cached: map[string]models.Actor{peer.KeyID: old}, fresh: map[string]models.Actor{peer.KeyID: old}}
	v = newTestVerifier(keys, "pollen.example", true, func() time.Time { return testNow }) // a new verifier: nothing cached
	_, err := v.verify(context.Background(), signedPost(t, "test-key.pem", testNow, body), body)
	wantStatus(t, err, http.StatusUnauthorized, "does not verify")
	if keys.fetches != 1 {
		t.Errorf("fetched the key %d times, want 1", keys.fetches)
	}

	// A key rotated just after it was fetched is taken at once...
	old.FetchedAt = &recent
	keys = &fakeKeys{cached: map[string]models.Actor{peer.KeyID: old}, fresh: map[string]models.Actor{peer.KeyID: peer}}
	v = newTestVerifier(keys, "pollen.example", true, func() time.Time { return testNow }) // a new verifier: nothing cached
	if _, err := v.verify(context.Background(), signedPost(t, "test-key.pem", testNow, body), body); err != nil {
		t.Fatalf("a key rotated 10s after it was fetched: %v", err)
	}
	// ...but failures within the next minute fetch it no more.
	keys = &fakeKeys{cached: map[string]models.Actor{peer.KeyID: old}, fresh: map[string]models.Actor{peer.KeyID: old}}
	v.swap(keys, peer) // the same verifier, its key cache emptied
	for range 3 {
		_, err = v.verify(context.Background(), signedPost(t, "test-key.pem", testNow, body), body)
		wantStatus(t, err, http.StatusUnauthorized, "does not verify")
	}
	if keys.fetches != 0 {
		t.Errorf("re-fetched a key %d times within a minute of the last re-fetch", keys.fetches)
	}

	old.FetchedAt = nil
	keys = &fakeKeys{cached: map[string]models.Actor{peer.KeyID: old}}
	v = newTestVerifier(keys, "pollen.example", true, func() time.Time { return testNow }) // a new verifier: nothing cached
	_, err = v.verify(context.Background(), signedPost(t, "test-key.pem", testNow, body), body)
	wantStatus(t, err, http.StatusUnauthorized, "could not be fetched again")
	var fe *apperr.Error
	if errors.As(err, &fe) && fe.Err == nil {
		t.Error("the cause was dropped")
	}
}
