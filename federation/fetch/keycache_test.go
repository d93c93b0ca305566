package fetch

import (
	"fmt"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
)

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
