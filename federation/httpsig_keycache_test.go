package federation

import (
	"context"
	"fmt"
	"testing"
	"time"

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
	v := &verifier{keys: keys, now: func() time.Time { return now }, host: "pollen.example", https: true}
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, err := v.verify(ctx, signedPost(t, "test-key.pem", testNow, body), body); err != nil {
			t.Fatalf("verify %d: %v", i, err)
		}
	}
	if keys.lookups != 1 {
		t.Errorf("%d key lookups for three requests by one signer, want 1", keys.lookups)
	}
	now = now.Add(keyCacheTTL + time.Second)
	if _, err := v.verify(ctx, signedPost(t, "test-key.pem", now, body), body); err != nil {
		t.Fatal(err)
	}
	if keys.lookups != 2 {
		t.Errorf("%d key lookups after the cache entry expired, want 2", keys.lookups)
	}
	v.cache.forget(peer.IRI, "")
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
	v := &verifier{keys: keys, now: func() time.Time { return testNow }, host: "pollen.example", https: true}
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

func TestKeyCacheIsBounded(t *testing.T) {
	var c keyCache
	start := time.Unix(1_700_000_000, 0)
	for i := 0; i < keyCacheSize+10; i++ {
		iri := fmt.Sprintf("https://peer.example/users/%d", i)
		c.put(iri+"#main-key", models.Actor{IRI: iri}, nil, start.Add(time.Duration(i)*time.Millisecond))
	}
	if n := len(c.byKey); n > keyCacheSize || n != len(c.byIRI) {
		t.Fatalf("%d keys and %d actors kept, want at most %d of each", n, len(c.byIRI), keyCacheSize)
	}
	last := fmt.Sprintf("https://peer.example/users/%d#main-key", keyCacheSize+9)
	if _, ok := c.get(last, start.Add(time.Minute)); !ok {
		t.Error("the newest key was evicted")
	}
	if _, ok := c.get("https://peer.example/users/0#main-key", start.Add(time.Minute)); ok {
		t.Error("the oldest key was kept")
	}
	c.put("https://local.example/actors/org#main-key", models.Actor{IRI: "https://local.example/actors/org", Local: true}, nil, start)
	if _, ok := c.get("https://local.example/actors/org#main-key", start); ok {
		t.Error("a local actor's key was cached")
	}
}
