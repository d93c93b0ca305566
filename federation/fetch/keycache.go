package fetch

import (
	"crypto/rsa"
	"sync"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// Bounds of the verifier's key cache.
const (
	// keyCacheSize is the most keys kept; when full, the oldest half goes.
	keyCacheSize = 4096
	// KeyCacheTTL is how long a key is used before it is read from the
	// store again: an actor's key changed by an Update is seen within
	// this time, and at once by a signature that fails to verify.
	KeyCacheTTL = 5 * time.Minute
)

// cachedKey is a remote actor with its public key parsed.
type cachedKey struct {
	actor models.Actor
	pub   *rsa.PublicKey
	at    time.Time
}

// keyCache keeps remote actors by keyId with their parsed public keys, so
// that verifying a signature costs neither a database read nor a PEM parse.
// Actors of this node are never cached: their key may rotate. The zero
// value is ready to use; it is safe for concurrent use.
type keyCache struct {
	mu    sync.RWMutex
	byKey map[string]cachedKey
	byIRI map[string]string // actor IRI → keyId
}

// get returns the entry for keyID if it is younger than KeyCacheTTL.
func (c *keyCache) get(keyID string, now time.Time) (cachedKey, bool) {
	c.mu.RLock()
	e, ok := c.byKey[keyID]
	c.mu.RUnlock()
	if !ok || now.Sub(e.at) > KeyCacheTTL || now.Before(e.at) {
		return cachedKey{}, false
	}
	return e, true
}

// put keeps a remote actor's parsed key.
func (c *keyCache) put(keyID string, a models.Actor, pub *rsa.PublicKey, now time.Time) {
	if a.Local {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byKey == nil {
		c.byKey = map[string]cachedKey{}
		c.byIRI = map[string]string{}
	}
	if len(c.byKey) >= keyCacheSize {
		c.evictOldestHalf()
	}
	if old, ok := c.byIRI[a.IRI]; ok && old != keyID {
		delete(c.byKey, old)
	}
	c.byKey[keyID] = cachedKey{actor: a, pub: pub, at: now}
	c.byIRI[a.IRI] = keyID
}

// forget drops whatever is kept for the actor iri and for keyID (either
// may be empty): called whenever an actor is fetched and stored anew.
func (c *keyCache) forget(iri, keyID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.byIRI[iri]; ok {
		delete(c.byKey, k)
		delete(c.byIRI, iri)
	}
	if e, ok := c.byKey[keyID]; ok {
		delete(c.byIRI, e.actor.IRI)
		delete(c.byKey, keyID)
	}
}

func (c *keyCache) evictOldestHalf() {
	ages := make([]time.Time, 0, len(c.byKey))
	for _, e := range c.byKey {
		ages = append(ages, e.at)
	}
	median := nthTime(ages, len(ages)/2)
	for k, e := range c.byKey {
		if !e.at.After(median) {
			delete(c.byKey, k)
			delete(c.byIRI, e.actor.IRI)
		}
	}
}

// nthTime returns the n-th smallest time (quickselect; ts is reordered).
func nthTime(ts []time.Time, n int) time.Time {
	lo, hi := 0, len(ts)-1
	for lo < hi {
		p := ts[(lo+hi)/2]
		i, j := lo, hi
		for i <= j {
			for ts[i].Before(p) {
				i++
			}
			for ts[j].After(p) {
				j--
			}
			if i <= j {
				ts[i], ts[j] = ts[j], ts[i]
				i++
				j--
			}
		}
		switch {
		case n <= j:
			hi = j
		case n >= i:
			lo = i
		default:
			return ts[n]
		}
	}
	return ts[n]
}
