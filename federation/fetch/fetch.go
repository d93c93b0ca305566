// Package fetch reads what other servers publish: actors and their keys
// (fetched with a signed GET, checked and cached in the store), documents
// of their origin, and handles resolved with WebFinger; and it keeps the
// key cache the signature verifier reads (Keys). It reaches the network
// through a Getter, the node's signing transport. Its refusals are *Error
// values of a kind (ErrRefused, ErrNoAccount, ErrBadAnswer), never HTTP
// statuses.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/federation/transport"
	"github.com/pollen-coop/pollen/models"
)

// Limits and headers of a fetch.
const (
	// maxDocumentSize is the largest ActivityStreams or WebFinger
	// document read.
	maxDocumentSize = transport.MaxDocumentSize
	// acceptActivity is the Accept header of every ActivityStreams GET.
	acceptActivity = transport.AcceptActivity
	// maxShortText is the most characters kept of an actor's name, handle
	// and other short fields, as for a case study's.
	maxShortText = 200
)

// Response is an answer read whole (up to the limit asked for).
type Response struct {
	// URL is where the answer came from, after redirects.
	URL    string
	Status int
	Header http.Header
	Body   []byte
}

// Getter makes the signed GETs a Fetcher needs: the node's transport.
// Get follows redirects only within rawURL's origin, GetAnyOrigin to any
// (WebFinger only); both sign as signer, ask for accept, read at most
// limit bytes, and return any status as a Response. Their errors wrap
// ErrPrivateAddress, ErrCrossOrigin or ErrTooLarge when that is what
// happened.
type Getter interface {
	Get(ctx context.Context, signer models.Actor, rawURL, accept string, limit int64) (Response, error)
	GetAnyOrigin(ctx context.Context, signer models.Actor, rawURL, accept string, limit int64) (Response, error)
}

// Gate is the node's federation policy as the fetcher asks it: CheckURL
// returns an error (federation/policy's *Refusal) for a URL of a domain
// the node does not fetch from (blocked, or off the allowlist).
type Gate interface {
	CheckURL(rawURL string) error
}

// Option changes a Fetcher made by New.
type Option func(*Fetcher)

// WithGate sets the policy every fetch passes first; without one, every
// domain is fetched.
func WithGate(g Gate) Option { return func(f *Fetcher) { f.gate = g } }

// Fetcher fetches from other servers for the node with its configuration,
// caching actors in its store. It is safe for concurrent use.
type Fetcher struct {
	cfg   config.Config
	store *models.Store
	net   Getter
	gate  Gate
	log   *slog.Logger
	now   func() time.Time
	// keys is the verifier's key cache; keyFetches joins concurrent
	// fetches of one key.
	keys       *Keys
	keyFetches flights
}

// New makes a Fetcher for a node with configuration cfg (its base URL,
// handle, HTTP timeout and whether private networks may be reached),
// storing actors in store, reaching the network through net.
func New(cfg config.Config, store *models.Store, net Getter, log *slog.Logger, now func() time.Time, opts ...Option) *Fetcher {
	f := &Fetcher{cfg: cfg, store: store, net: net, log: log, now: now}
	for _, o := range opts {
		o(f)
	}
	f.keys = NewKeys(f, now)
	return f
}

// Keys is the key cache over the fetcher's actors, for the signature
// verifier.
func (f *Fetcher) Keys() *Keys { return f.keys }

// IsLocal reports whether an IRI is on this node's host.
func (f *Fetcher) IsLocal(iri string) bool {
	return f.cfg.BaseURL != nil && httpsig.SameHost(iri, f.cfg.BaseURL.String())
}

// Document GETs an ActivityStreams document, signed as the node's actor,
// and checks its status, Content-Type and size, and that it comes from
// rawURL's origin: a redirect elsewhere is refused, so that no server's
// open redirect can make another server's document pass for its own. It
// returns an ErrRefused *Error for a URL that is not http or https or is
// on a private network; an ErrBadAnswer *Error for an answer it cannot
// use, wrapping models.ErrNotFound for a 404, models.ErrGone for a 410,
// ErrTooLarge and ErrCrossOrigin; and the store's error when the node's
// actor cannot be read.
func (f *Fetcher) Document(ctx context.Context, rawURL string) (Response, error) {
	resp, err := f.get(ctx, rawURL, acceptActivity, false)
	if err != nil {
		return resp, err
	}
	if !transport.SameOriginIRI(rawURL, resp.URL) {
		return resp, badAnswer(rawURL+" was answered from another origin, "+httpsig.Quote(resp.URL), ErrCrossOrigin)
	}
	ct := resp.Header.Get("Content-Type")
	if !isActivityStreams(ct) {
		return resp, badAnswer(fmt.Sprintf("%s answered with the Content-Type %s, not ActivityStreams", rawURL, httpsig.Quote(ct)), nil)
	}
	return resp, nil
}

// get makes a signed GET and turns failures into *Error. Redirects stay on
// rawURL's origin unless anyOrigin is set (WebFinger only). A URL the
// gate refuses is an ErrRefused *Error wrapping the gate's error, and
// nothing is fetched.
func (f *Fetcher) get(ctx context.Context, rawURL, accept string, anyOrigin bool) (Response, error) {
	if f.gate != nil {
		if err := f.gate.CheckURL(rawURL); err != nil {
			return Response{}, refused("refusing to fetch "+rawURL, err)
		}
	}
	signer, err := f.store.Actors.Local(ctx, f.cfg.Handle)
	if err != nil {
		return Response{}, fmt.Errorf("fetch: the node's actor signs fetches: %w", err)
	}
	get := f.net.Get
	if anyOrigin {
		get = f.net.GetAnyOrigin
	}
	resp, err := get(ctx, signer, rawURL, accept, maxDocumentSize)
	switch {
	case errors.Is(err, ErrPrivateAddress):
		return resp, refused("refusing to fetch "+rawURL+": it is on a private network", err)
	case errors.Is(err, ErrCrossOrigin):
		return resp, badAnswer(rawURL+" redirects to another origin", err)
	case errors.Is(err, ErrTooLarge):
		return resp, badAnswer(rawURL+" answered with more than 1 MB", err)
	case err != nil && !isHTTPURL(rawURL):
		return resp, refused(httpsig.Quote(rawURL)+" is not an http or https URL", err)
	case err != nil:
		return resp, badAnswer("could not fetch "+rawURL, err)
	case resp.Status == http.StatusNotFound:
		return resp, badAnswer(rawURL+" answered 404 Not Found", models.ErrNotFound)
	case resp.Status == http.StatusGone:
		return resp, badAnswer(rawURL+" answered 410 Gone", models.ErrGone)
	case resp.Status != http.StatusOK:
		return resp, badAnswer(fmt.Sprintf("%s answered %d %s", rawURL, resp.Status, http.StatusText(resp.Status)), nil)
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

// isHTTPURL reports whether s is an absolute http or https URL.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
