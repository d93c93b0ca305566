package fetch

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/models"
)

// actorMaxAge is how long LookupActor trusts a cached remote actor.
const actorMaxAge = 24 * time.Hour

// FetchActor fetches the actor iri with a signed GET, checks it (the
// document's id is the URL fetched, the Content-Type is ActivityStreams, at
// most 1 MB, an actor type with an inbox and a key on its own host) and
// caches it in the store. An actor of this node is read from the store
// instead. Redirects are followed within the URL's origin only. It returns
// Document's errors, an ErrBadAnswer *Error for a document that is not a
// usable actor, and store errors.
func (f *Fetcher) FetchActor(ctx context.Context, iri string) (models.Actor, error) {
	if f.IsLocal(iri) {
		return f.store.Actors.ByIRI(ctx, iri)
	}
	return f.fetchActor(ctx, iri, "")
}

// LookupActor returns the actor iri from the store when it was fetched in
// the last day, else fetches it as FetchActor does; when that fetch fails,
// a cached copy is returned all the same. It returns FetchActor's errors.
func (f *Fetcher) LookupActor(ctx context.Context, iri string) (models.Actor, error) {
	a, err := f.store.Actors.ByIRI(ctx, iri)
	switch {
	case err == nil && (a.Local || (a.FetchedAt != nil && f.now().Sub(*a.FetchedAt) < actorMaxAge)):
		return a, nil
	case err != nil && !errors.Is(err, models.ErrNotFound):
		return a, err
	}
	fresh, ferr := f.FetchActor(ctx, iri)
	if ferr != nil && err == nil {
		f.log.Warn("using a stale copy of an actor", "actor", iri, "err", ferr)
		return a, nil
	}
	return fresh, ferr
}

// ActorForKey returns the actor whose public key is keyID: from the store
// unless refresh is set, else fetched from the key's origin. A keyId with
// a fragment (Mastodon's …#main-key) is read from the actor document; a
// path-style one (GoToSocial's …/main-key) may answer with the key alone
// (with its owner) or a stub of the actor, and then the owner is fetched
// and must list the key. Concurrent fetches of one key are made once. It
// returns an ErrRefused *Error for a keyId that is not an http or https
// URL and FetchActor's errors.
func (f *Fetcher) ActorForKey(ctx context.Context, keyID string, refresh bool) (models.Actor, error) {
	if !isHTTPURL(keyID) {
		return models.Actor{}, refused("the keyId "+httpsig.Quote(keyID)+" is not an http or https URL", nil)
	}
	if !refresh || f.IsLocal(keyID) {
		a, err := f.store.Actors.ByKeyID(ctx, keyID)
		if err == nil || !errors.Is(err, models.ErrNotFound) || f.IsLocal(keyID) {
			return a, err
		}
	}
	return f.keyFetches.do(keyID, func() (models.Actor, error) {
		// The fetch serves every request waiting for this key, so the
		// first one going away must not cut it off; it has its own limit.
		limit := 2 * f.cfg.HTTPTimeout
		if limit <= 0 {
			limit = 30 * time.Second
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), limit)
		defer cancel()
		return f.fetchKey(fctx, keyID)
	})
}

func (f *Fetcher) fetchKey(ctx context.Context, keyID string) (models.Actor, error) {
	docURL, _, _ := strings.Cut(keyID, "#")
	resp, err := f.Document(ctx, docURL)
	if err != nil {
		return models.Actor{}, err
	}
	d, err := decodeRemoteActor(resp.Body)
	if err != nil {
		return models.Actor{}, err
	}
	if (d.ID == docURL || d.ID == resp.URL) && d.isActor() {
		return f.saveActor(ctx, d, resp.Body, keyID)
	}
	// A key document, or a stub of the actor served at the key's URL: the
	// owner's own document must list the key.
	owner := d.Owner
	if k, ok := d.key(keyID); ok && d.isActor() {
		owner = d.ID
		if k.Owner != "" {
			owner = k.Owner
		}
	} else if d.ID != keyID {
		return models.Actor{}, badAnswer(fmt.Sprintf("%s answered with the document %s, neither the key nor its owner", docURL, httpsig.Quote(d.ID)), nil)
	}
	if !isHTTPURL(owner) || !httpsig.SameHost(owner, keyID) {
		return models.Actor{}, badAnswer(fmt.Sprintf("the key %s names the owner %s, not on its host", keyID, httpsig.Quote(owner)), nil)
	}
	return f.fetchActor(ctx, owner, keyID)
}

// fetchActor fetches and caches the actor iri, which must list keyID when
// it is given.
func (f *Fetcher) fetchActor(ctx context.Context, iri, keyID string) (models.Actor, error) {
	resp, err := f.Document(ctx, iri)
	if err != nil {
		return models.Actor{}, err
	}
	d, err := decodeRemoteActor(resp.Body)
	if err != nil {
		return models.Actor{}, err
	}
	if d.ID != iri && d.ID != resp.URL {
		return models.Actor{}, badAnswer(fmt.Sprintf("the document at %s has the id %s: it must be the URL fetched", iri, httpsig.Quote(d.ID)), nil)
	}
	return f.saveActor(ctx, d, resp.Body, keyID)
}

func (f *Fetcher) saveActor(ctx context.Context, d remoteActor, raw []byte, keyID string) (models.Actor, error) {
	a, err := d.toModel(raw, keyID, f.now())
	if err != nil {
		return a, err
	}
	if f.IsLocal(a.IRI) {
		return models.Actor{}, badAnswer(a.IRI+" claims to be an actor of this node", nil)
	}
	if err := f.store.Actors.UpsertRemote(ctx, &a); err != nil {
		return a, fmt.Errorf("fetch: cache actor %s: %w", a.IRI, err)
	}
	// A fresh copy may carry a new key: the verifier reads it anew.
	f.keys.Forget(a.IRI, a.KeyID)
	return a, nil
}
