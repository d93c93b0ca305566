package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// actorMaxAge is how long LookupActor trusts a cached remote actor.
const actorMaxAge = 24 * time.Hour

// FetchActor fetches the actor iri with a signed GET, checks it (the
// document's id is the URL fetched, the Content-Type is ActivityStreams, at
// most MaxDocumentSize, an actor type with an inbox and a key on its own
// host) and caches it in the database. An actor of this node is read from
// the database instead. Redirects are followed within the URL's origin
// only. It returns a 400 *apperr.Error for a URL that is not http or https or is
// on a private network; a 502 *apperr.Error for an answer it cannot use, wrapping
// models.ErrNotFound for a 404, models.ErrGone for a 410 and ErrCrossOrigin
// for a redirect to another origin; and store errors.
func (s *Service) FetchActor(ctx context.Context, iri string) (models.Actor, error) {
	if s.isLocal(iri) {
		return s.store.ActorByIRI(ctx, iri)
	}
	return s.fetchActor(ctx, iri, "")
}

// LookupActor returns the actor iri from the cache when it was fetched in
// the last day, else fetches it as FetchActor does; when that fetch fails,
// a cached copy is returned all the same. It returns FetchActor's errors.
func (s *Service) LookupActor(ctx context.Context, iri string) (models.Actor, error) {
	a, err := s.store.ActorByIRI(ctx, iri)
	switch {
	case err == nil && (a.Local || (a.FetchedAt != nil && s.now().Sub(*a.FetchedAt) < actorMaxAge)):
		return a, nil
	case err != nil && !errors.Is(err, models.ErrNotFound):
		return a, err
	}
	fresh, ferr := s.FetchActor(ctx, iri)
	if ferr != nil && err == nil {
		s.log.Warn("using a stale copy of an actor", "actor", iri, "err", ferr)
		return a, nil
	}
	return fresh, ferr
}

// ActorForKey returns the actor whose public key is keyID: from the
// database unless refresh is set, else fetched from the key's origin. A
// keyId with a fragment (Mastodon's …#main-key) is read from the actor
// document; a path-style one (GoToSocial's …/main-key) may answer with the
// key alone (with its owner) or a stub of the actor, and then the owner is
// fetched and must list the key. Concurrent fetches of one key are made
// once. It returns a 400 *apperr.Error for a keyId that is not an http or https
// URL and FetchActor's errors.
func (s *Service) ActorForKey(ctx context.Context, keyID string, refresh bool) (models.Actor, error) {
	if !isHTTPURL(keyID) {
		return models.Actor{}, apperr.Errorf(apperr.Invalid, "the keyId %s is not an http or https URL", quote(keyID))
	}
	if !refresh || s.isLocal(keyID) {
		a, err := s.store.ActorByKeyID(ctx, keyID)
		if err == nil || !errors.Is(err, models.ErrNotFound) || s.isLocal(keyID) {
			return a, err
		}
	}
	return s.keyFetches.do(keyID, func() (models.Actor, error) {
		// The fetch serves every request waiting for this key, so the
		// first one going away must not cut it off; it has its own limit.
		limit := 2 * s.cfg.HTTPTimeout
		if limit <= 0 {
			limit = 30 * time.Second
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), limit)
		defer cancel()
		return s.fetchKey(fctx, keyID)
	})
}

func (s *Service) fetchKey(ctx context.Context, keyID string) (models.Actor, error) {
	docURL, _, _ := strings.Cut(keyID, "#")
	resp, err := s.fetchDocument(ctx, docURL)
	if err != nil {
		return models.Actor{}, err
	}
	d, err := decodeRemoteActor(resp.Body)
	if err != nil {
		return models.Actor{}, err
	}
	if (d.ID == docURL || d.ID == resp.URL) && d.isActor() {
		return s.saveActor(ctx, d, resp.Body, keyID)
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
		return models.Actor{}, apperr.Errorf(apperr.BadGateway, "%s answered with the document %s, neither the key nor its owner", docURL, quote(d.ID))
	}
	if !isHTTPURL(owner) || !sameHost(owner, keyID) {
		return models.Actor{}, apperr.Errorf(apperr.BadGateway, "the key %s names the owner %s, not on its host", keyID, quote(owner))
	}
	return s.fetchActor(ctx, owner, keyID)
}

// fetchActor fetches and caches the actor iri, which must list keyID when
// it is given.
func (s *Service) fetchActor(ctx context.Context, iri, keyID string) (models.Actor, error) {
	resp, err := s.fetchDocument(ctx, iri)
	if err != nil {
		return models.Actor{}, err
	}
	d, err := decodeRemoteActor(resp.Body)
	if err != nil {
		return models.Actor{}, err
	}
	if d.ID != iri && d.ID != resp.URL {
		return models.Actor{}, apperr.Errorf(apperr.BadGateway, "the document at %s has the id %s: it must be the URL fetched", iri, quote(d.ID))
	}
	return s.saveActor(ctx, d, resp.Body, keyID)
}

func (s *Service) saveActor(ctx context.Context, d remoteActor, raw []byte, keyID string) (models.Actor, error) {
	a, err := d.toModel(raw, keyID, s.now())
	if err != nil {
		return a, err
	}
	if s.isLocal(a.IRI) {
		return models.Actor{}, apperr.Errorf(apperr.BadGateway, "%s claims to be an actor of this node", a.IRI)
	}
	if err := s.store.UpsertRemoteActor(ctx, &a); err != nil {
		return a, fmt.Errorf("federation: cache actor %s: %w", a.IRI, err)
	}
	// A fresh copy may carry a new key: the verifier reads it anew.
	s.verifier.cache.forget(a.IRI, a.KeyID)
	return a, nil
}

// fetchDocument GETs an ActivityStreams document, signed as the node's
// actor, and checks its status, Content-Type and size, and that it comes
// from rawURL's origin: a redirect elsewhere is refused, so that no server's
// open redirect can make another server's document pass for its own.
func (s *Service) fetchDocument(ctx context.Context, rawURL string) (Response, error) {
	resp, err := s.get(ctx, rawURL, AcceptActivity, false)
	if err != nil {
		return resp, err
	}
	if !sameOriginIRI(rawURL, resp.URL) {
		return resp, &apperr.Error{Kind: apperr.BadGateway, Message: rawURL + " was answered from another origin, " + quote(resp.URL), Err: ErrCrossOrigin}
	}
	ct := resp.Header.Get("Content-Type")
	if !isActivityStreams(ct) {
		return resp, apperr.Errorf(apperr.BadGateway, "%s answered with the Content-Type %s, not ActivityStreams", rawURL, quote(ct))
	}
	return resp, nil
}

// get makes a signed GET and maps failures to *apperr.Error. Redirects stay on
// rawURL's origin unless anyOrigin is set (WebFinger only).
func (s *Service) get(ctx context.Context, rawURL, accept string, anyOrigin bool) (Response, error) {
	signer, err := s.LocalActor(ctx)
	if err != nil {
		return Response{}, fmt.Errorf("federation: the node's actor signs fetches: %w", err)
	}
	get := s.transport.Get
	if anyOrigin {
		get = s.transport.GetAnyOrigin
	}
	resp, err := get(ctx, signer, rawURL, accept, MaxDocumentSize)
	switch {
	case errors.Is(err, ErrPrivateAddress):
		return resp, &apperr.Error{Kind: apperr.Invalid, Message: "refusing to fetch " + rawURL + ": it is on a private network", Err: err}
	case errors.Is(err, ErrCrossOrigin):
		return resp, &apperr.Error{Kind: apperr.BadGateway, Message: rawURL + " redirects to another origin", Err: err}
	case errors.Is(err, ErrTooLarge):
		return resp, &apperr.Error{Kind: apperr.BadGateway, Message: rawURL + " answered with more than 1 MB", Err: err}
	case err != nil && !isHTTPURL(rawURL):
		return resp, &apperr.Error{Kind: apperr.Invalid, Message: quote(rawURL) + " is not an http or https URL", Err: err}
	case err != nil:
		return resp, &apperr.Error{Kind: apperr.BadGateway, Message: "could not fetch " + rawURL, Err: err}
	case resp.Status == http.StatusNotFound:
		return resp, &apperr.Error{Kind: apperr.BadGateway, Message: rawURL + " answered 404 Not Found", Err: models.ErrNotFound}
	case resp.Status == http.StatusGone:
		return resp, &apperr.Error{Kind: apperr.BadGateway, Message: rawURL + " answered 410 Gone", Err: models.ErrGone}
	case resp.Status != http.StatusOK:
		return resp, apperr.Errorf(apperr.BadGateway, "%s answered %d %s", rawURL, resp.Status, http.StatusText(resp.Status))
	}
	return resp, nil
}

// isActivityStreams reports whether a Content-Type is application/activity+json
// or application/ld+json (whose profile, when given, is ActivityStreams).
func isActivityStreams(ct string) bool {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch mt {
	case "application/activity+json":
		return true
	case "application/ld+json":
		p, ok := params["profile"]
		return !ok || strings.Contains(p, "https://www.w3.org/ns/activitystreams")
	}
	return false
}

// isLocal reports whether an IRI is on this node's host.
func (s *Service) isLocal(iri string) bool {
	return s.cfg.BaseURL != nil && sameHost(iri, s.cfg.BaseURL.String())
}

// ResolveActor finds an actor from what a person types: an actor URL
// (fetched as FetchActor does) or a handle (resolved as ResolveHandle
// does). It returns their errors.
func (s *Service) ResolveActor(ctx context.Context, target string) (models.Actor, error) {
	target = strings.TrimSpace(target)
	if strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "http://") {
		return s.FetchActor(ctx, target)
	}
	return s.ResolveHandle(ctx, target)
}

// ResolveHandle finds the actor of a handle, "@user@host" (or "user@host",
// "acct:user@host"), with WebFinger, then fetches it as FetchActor does.
// WebFinger is asked over https; over http when the host is localhost or a
// loopback address (test and demo nodes); and over https then http when
// AllowPrivateNetworks is set. It returns a 400 *apperr.Error for a malformed
// handle, a 404 *apperr.Error when the host knows no such account, a 502 *apperr.Error
// when the host answers wrongly, and FetchActor's errors.
func (s *Service) ResolveHandle(ctx context.Context, handle string) (models.Actor, error) {
	user, host, err := splitHandle(handle)
	if err != nil {
		return models.Actor{}, err
	}
	acct := "acct:" + user + "@" + host
	var lastErr error
	for _, scheme := range s.webfingerSchemes(host) {
		u := scheme + "://" + host + "/.well-known/webfinger?resource=" + url.QueryEscape(acct)
		resp, err := s.get(ctx, u, "application/jrd+json, application/json", true)
		var fe *apperr.Error
		if errors.As(err, &fe) && fe.Kind == apperr.BadGateway && resp.Status == 0 && !errors.Is(err, ErrTooLarge) {
			lastErr = err // no answer: try the next scheme
			continue
		}
		if errors.Is(err, models.ErrNotFound) {
			return models.Actor{}, &apperr.Error{Kind: apperr.NotFound, Message: "no account " + acct + " on " + host, Err: err}
		}
		if err != nil {
			return models.Actor{}, err
		}
		self, err := selfLink(resp.Body)
		if err != nil {
			return models.Actor{}, &apperr.Error{Kind: apperr.BadGateway, Message: "the WebFinger answer for " + acct + " has no ActivityPub actor", Err: err}
		}
		return s.FetchActor(ctx, self)
	}
	return models.Actor{}, lastErr
}

// webfingerSchemes are the schemes to ask host's WebFinger with, in order.
func (s *Service) webfingerSchemes(host string) []string {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	name = strings.Trim(name, "[]")
	ip := net.ParseIP(name)
	switch {
	case strings.EqualFold(name, "localhost") || strings.HasSuffix(strings.ToLower(name), ".localhost") || (ip != nil && ip.IsLoopback()):
		return []string{"http"}
	case s.cfg.AllowPrivateNetworks:
		return []string{"https", "http"}
	}
	return []string{"https"}
}

// splitHandle reads "@user@host", "user@host" or "acct:user@host".
func splitHandle(handle string) (user, host string, err error) {
	h := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(handle), "acct:"), "@")
	user, host, ok := strings.Cut(h, "@")
	bad := apperr.Errorf(apperr.Invalid, "%s is not a handle of the form @user@host", quote(handle))
	if !ok || user == "" || host == "" || strings.ContainsAny(user, "/?#@ ") {
		return "", "", bad
	}
	u, err := url.Parse("https://" + host)
	if err != nil || u.Host != host || u.User != nil {
		return "", "", bad
	}
	return user, strings.ToLower(host), nil
}

// selfLink is the href of the ActivityPub "self" link of a JRD.
func selfLink(data []byte) (string, error) {
	var jrd JRD
	if err := json.Unmarshal(data, &jrd); err != nil {
		return "", err
	}
	for _, l := range jrd.Links {
		if l.Rel == "self" && isActivityStreams(l.Type) && isHTTPURL(l.Href) {
			return l.Href, nil
		}
	}
	return "", errors.New("no self link of type application/activity+json")
}

// flights makes concurrent fetches of one key into one. The zero value is
// ready to use.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done chan struct{}
	a    models.Actor
	err  error
}

// do runs fn for key unless a run for key is in flight, and then waits for
// that run's result instead.
func (f *flights) do(key string, fn func() (models.Actor, error)) (models.Actor, error) {
	f.mu.Lock()
	if c, ok := f.m[key]; ok {
		f.mu.Unlock()
		<-c.done
		return c.a, c.err
	}
	if f.m == nil {
		f.m = map[string]*flight{}
	}
	c := &flight{done: make(chan struct{})}
	f.m[key] = c
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.m, key)
		f.mu.Unlock()
		close(c.done)
	}()
	c.a, c.err = fn()
	return c.a, c.err
}
