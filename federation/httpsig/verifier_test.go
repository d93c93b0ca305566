package httpsig_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation/httpsig"
)

// keys is a KeyLookup over fixed keys: known answers refresh=false, fresh
// answers refresh=true (the key as fetched again).
type keys struct {
	known, fresh httpsig.PublicKey
	err          error
	fetches      int
}

func (k *keys) Key(_ context.Context, keyID string, refresh bool) (httpsig.PublicKey, error) {
	if refresh {
		k.fetches++
		return k.fresh, k.err
	}
	return k.known, nil
}

// TestVerifierRefetch: a key that fails is fetched again once, and not
// again within a minute; the node's own keys and keys of another host
// never are.
func TestVerifierRefetch(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	old, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	owner := "https://peer.example/actors/org"
	current := httpsig.PublicKey{ID: keyID, Owner: owner, Key: &key.PublicKey}
	stale := httpsig.PublicKey{ID: keyID, Owner: owner, Key: &old.PublicKey}
	body := []byte(`{"type":"Follow"}`)
	clock := now
	verify := func(v *httpsig.Verifier) (httpsig.PublicKey, error) {
		r := httptest.NewRequest(http.MethodPost, "https://pollen.example/inbox", bytes.NewReader(body))
		if err := httpsig.Sign(r, httpsig.Key{KeyID: keyID, Key: key}, body, clock); err != nil {
			t.Fatal(err)
		}
		p, err := v.Check(r, true)
		if err != nil {
			t.Fatal(err)
		}
		return v.Verify(context.Background(), r, p)
	}

	k := &keys{known: stale, fresh: current}
	v := httpsig.NewVerifier(k, "pollen.example", "https", func() time.Time { return clock })
	if got, err := verify(v); err != nil || got.Key != current.Key || k.fetches != 1 {
		t.Fatalf("rotated key: %v after %d fetches", err, k.fetches)
	}
	k.fresh = stale
	for range 2 {
		if _, err := verify(v); !errors.Is(err, httpsig.ErrBadSignature) {
			t.Errorf("stale key: err = %v, want ErrBadSignature", err)
		}
	}
	if k.fetches != 1 {
		t.Errorf("%d fetches, want 1: one a minute at most", k.fetches)
	}
	clock = clock.Add(2 * time.Minute)
	k.err = errors.New("peer.example answered 500")
	if _, err := verify(v); !errors.Is(err, httpsig.ErrUnknownKey) || !errors.Is(err, k.err) || k.fetches != 2 {
		t.Errorf("key not fetched again: err = %v after %d fetches", err, k.fetches)
	}

	for name, pk := range map[string]httpsig.PublicKey{
		"the node's own key":    {ID: keyID, Owner: owner, Key: &old.PublicKey, Local: true},
		"a key of another host": {ID: keyID, Owner: "https://other.example/actors/org", Key: &key.PublicKey},
	} {
		k := &keys{known: pk, fresh: current}
		v := httpsig.NewVerifier(k, "pollen.example", "https", func() time.Time { return clock })
		if _, err := verify(v); err == nil || k.fetches != 0 {
			t.Errorf("%s: err = %v after %d fetches, want a refusal and none", name, err, k.fetches)
		}
	}
}
