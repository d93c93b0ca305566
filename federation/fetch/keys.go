package fetch

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"time"

	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/models"
)

// KeyOwners finds the actor that owns a public key: from the store, or
// (refresh) fetched anew from its origin. *Fetcher is one.
type KeyOwners interface {
	ActorForKey(ctx context.Context, keyID string, refresh bool) (models.Actor, error)
}

// Keys finds the keys signatures name, for the signature verifier (it is
// an httpsig.KeyLookup), and the actors that own them: it keeps remote
// actors by keyId with their parsed public keys, so that verifying a
// signature costs neither a store read nor a PEM parse, and asks owners
// for the others. Actors of this node are never kept: their key may
// rotate. It is safe for concurrent use.
type Keys struct {
	owners KeyOwners
	now    func() time.Time
	cache  keyCache
}

// NewKeys makes a key cache over owners, reading the time from now.
func NewKeys(owners KeyOwners, now func() time.Time) *Keys {
	return &Keys{owners: owners, now: now}
}

// Key returns the key keyID with its owner: kept, or else from the owners
// (refresh: fetched anew from its origin, what was kept dropped first). A
// key that cannot be read as RSA comes with KeyErr saying why. It returns
// the owners' errors.
func (k *Keys) Key(ctx context.Context, keyID string, refresh bool) (httpsig.PublicKey, error) {
	now := k.now()
	if !refresh {
		if e, ok := k.cache.get(keyID, now); ok {
			return publicKey(e.actor, e.pub, nil), nil
		}
	} else {
		k.cache.forget("", keyID)
	}
	a, err := k.owners.ActorForKey(ctx, keyID, refresh)
	if err != nil {
		return httpsig.PublicKey{}, err
	}
	pub, err := parseRSAPublicKey(a)
	if err == nil && a.KeyID == keyID && httpsig.SameHost(keyID, a.IRI) {
		k.cache.put(keyID, a, pub, now)
	}
	return publicKey(a, pub, err), nil
}

// Signer returns the actor that owns key, a key Key returned: kept, or
// else from the owners. It returns the owners' errors, and an error when
// the key has another owner by now, or is no longer its owner's.
func (k *Keys) Signer(ctx context.Context, key httpsig.PublicKey) (models.Actor, error) {
	if e, ok := k.cache.get(key.ID, k.now()); ok && e.actor.IRI == key.Owner {
		return e.actor, nil
	}
	a, err := k.owners.ActorForKey(ctx, key.ID, false)
	if err != nil {
		return a, err
	}
	if a.IRI != key.Owner || a.KeyID != key.ID {
		return models.Actor{}, fmt.Errorf("fetch: the key %s changed owner while the signature was checked", key.ID)
	}
	return a, nil
}

// Forget drops whatever is kept for the actor iri and for keyID (either
// may be empty): call it whenever an actor is stored anew.
func (k *Keys) Forget(iri, keyID string) { k.cache.forget(iri, keyID) }

// publicKey is an actor's key as the verifier takes it.
func publicKey(a models.Actor, pub *rsa.PublicKey, err error) httpsig.PublicKey {
	return httpsig.PublicKey{ID: a.KeyID, Owner: a.IRI, Key: pub, KeyErr: err, Local: a.Local}
}

// parseRSAPublicKey reads an actor's public key, which must be RSA.
func parseRSAPublicKey(a models.Actor) (*rsa.PublicKey, error) {
	pub, err := httpsig.ParsePublicKeyPEM(a.PublicKeyPEM)
	if err != nil {
		return nil, err
	}
	rsaKey, ok := pub.(*rsa.PublicKey)
	if !ok {
		return nil, errors.New("not an RSA key")
	}
	return rsaKey, nil
}
