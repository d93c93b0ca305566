package federation

import (
	"context"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation/fetch"
	"github.com/pollen-coop/pollen/models"
)

// countingKeys counts the lookups a verifier makes.
type countingKeys struct {
	fakeKeys
	lookups int
}

func (c *countingKeys) ActorForKey(ctx context.Context, keyID string, refresh bool) (models.Actor, error) {
	c.lookups++
	return c.fakeKeys.ActorForKey(ctx, keyID, refresh)
}

func TestVerifierCachesKeys(t *testing.T) {
	body := []byte(testBody)
	peer := testPeer(t)
	keys := &countingKeys{fakeKeys: fakeKeys{cached: map[string]models.Actor{peer.KeyID: peer}}}
	now := testNow
	v := newTestVerifier(keys, "pollen.example", true, func() time.Time { return now })
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, err := v.verify(ctx, signedPost(t, "test-key.pem", testNow, body), body); err != nil {
			t.Fatalf("verify %d: %v", i, err)
		}
	}
	if keys.lookups != 1 {
		t.Errorf("%d key lookups for three requests by one signer, want 1", keys.lookups)
	}
	now = now.Add(fetch.KeyCacheTTL + time.Second)
	if _, err := v.verify(ctx, signedPost(t, "test-key.pem", now, body), body); err != nil {
		t.Fatal(err)
	}
	if keys.lookups != 2 {
		t.Errorf("%d key lookups after the cache entry expired, want 2", keys.lookups)
	}
	v.keys.Forget(peer.IRI, "")
	if _, err := v.verify(ctx, signedPost(t, "test-key.pem", now, body), body); err != nil {
		t.Fatal(err)
	}
	if keys.lookups != 3 {
		t.Errorf("%d key lookups after the actor was fetched anew, want 3", keys.lookups)
	}
}

func TestVerifierRefetchesRotatedKeyPastTheCache(t *testing.T) {
	body := []byte(testBody)
	peer := testPeer(t)
	stale := peer
	stale.PublicKeyPEM = publicPEM(t, readTestKey(t, "test-key-2.pem"))
	old := testNow.Add(-time.Hour)
	stale.FetchedAt = &old
	keys := &countingKeys{fakeKeys: fakeKeys{
		cached: map[string]models.Actor{peer.KeyID: stale},
		fresh:  map[string]models.Actor{peer.KeyID: peer},
	}}
	v := newTestVerifier(keys, "pollen.example", true, func() time.Time { return testNow })
	ctx := context.Background()
	// Cache the stale key: a request it verifies would be signed by it;
	// here the first request already fails against it and re-fetches.
	if _, err := v.verify(ctx, signedPost(t, "test-key.pem", testNow, body), body); err != nil {
		t.Fatalf("verify with a rotated key: %v", err)
	}
	if keys.fetches != 1 {
		t.Fatalf("%d re-fetches, want 1", keys.fetches)
	}
	// The re-fetched key is what the cache now holds.
	if _, err := v.verify(ctx, signedPost(t, "test-key.pem", testNow, body), body); err != nil {
		t.Fatal(err)
	}
	if keys.fetches != 1 || keys.lookups != 2 {
		t.Errorf("%d re-fetches and %d lookups, want 1 and 2", keys.fetches, keys.lookups)
	}
}
