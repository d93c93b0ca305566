// Package federation is Pollen's processing layer: case studies and actors as
// the node publishes them, their ActivityStreams form, and (as it grows)
// signing, verifying and delivering activities. It knows nothing of echo.
package federation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/fetch"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/models"
)

// Service does what the node does; handlers and the CLI call it.
type Service struct {
	cfg   config.Config
	store *models.Store
	log   *slog.Logger
	now   func() time.Time
	// delivery is the outgoing queue's runner state (delivery.go).
	delivery *deliverer
	// proc is this process's heartbeat, held by the runners (process.go).
	proc *liveness

	// transport makes every outgoing request; fetcher reads other
	// servers; verifier checks incoming signatures.
	transport *Transport
	fetcher   Fetcher
	verifier  *verifier

	// inboxWake tells the inbox processor that an activity was stored.
	inboxWake chan struct{}
	// quotas hold what actors not followed have had stored lately;
	// relations the ties to this node found lately.
	quotas    inboxQuotas
	relations relationCache
}

// Option changes a Service made by New.
type Option func(*Service)

// WithClock sets the clock the service reads (tests).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// New makes a Service over store with configuration cfg.
func New(cfg config.Config, store *models.Store, log *slog.Logger, opts ...Option) *Service {
	s := &Service{cfg: cfg, store: store, log: log, now: time.Now, inboxWake: make(chan struct{}, 1)}
	s.delivery = newDeliverer(s)
	s.proc = newLiveness(s)
	for _, o := range opts {
		o(s)
	}
	clock := func() time.Time { return s.now() }
	s.transport = NewTransport(cfg, clock)
	s.fetcher = Fetcher{fetch.New(cfg, store, transportGetter{s.transport}, log, clock)}
	s.verifier = newVerifier(s.fetcher.Keys(), cfg.BaseURL, clock)
	if s.delivery.poster == nil {
		s.delivery.poster = transportPoster{s.transport}
	}
	return s
}

// EnsureLocalActor returns the organisation's actor, creating it with a new
// RSA-2048 key pair on first use (when two processes start at once, one
// creates it and both use it). It returns an error when the actor was made
// under another base URL: IDs never change, so the configuration must
// keep the base URL the node was set up with.
func (s *Service) EnsureLocalActor(ctx context.Context) (models.Actor, error) {
	a, err := s.store.LocalActor(ctx, s.cfg.Handle)
	switch {
	case err == nil:
		if want := s.ActorIRI(a.Handle); a.IRI != want {
			return a, fmt.Errorf("federation: this node's actor is %s, but the configured base URL gives %s: "+
				"IDs cannot change, so set POLLEN_BASE_URL (base_url) as the node was set up", a.IRI, want)
		}
		return a, nil
	case !errors.Is(err, models.ErrNotFound):
		return a, err
	}
	a, err = s.newLocalActor()
	if err != nil {
		return a, err
	}
	err = s.store.CreateActor(ctx, &a)
	if errors.Is(err, models.ErrConflict) {
		return s.store.LocalActor(ctx, s.cfg.Handle)
	}
	if err != nil {
		return a, fmt.Errorf("federation: create local actor: %w", err)
	}
	s.log.Info("created the organisation's actor and its key pair", "actor", a.IRI)
	return a, nil
}

// SyncProfile brings the organisation's profile in line with the
// configuration and, when anything changed, sends it to followers as an
// Update. `pollen serve` calls it at start; the other commands leave the
// profile as it is, so that running one with fewer settings changes
// nothing.
func (s *Service) SyncProfile(ctx context.Context) (models.Actor, error) {
	a, err := s.EnsureLocalActor(ctx)
	if err != nil {
		return a, err
	}
	want := a
	s.applyProfile(&want)
	if want == a {
		return a, nil
	}
	if err := s.store.SaveActor(ctx, &want); err != nil {
		return a, err
	}
	s.log.Info("profile changed; sending it to followers", "actor", want.IRI)
	return want, s.SendProfileUpdate(ctx)
}

func (s *Service) newLocalActor() (models.Actor, error) {
	priv, pub, err := httpsig.GenerateKeyPEM()
	if err != nil {
		return models.Actor{}, err
	}
	iri := s.ActorIRI(s.cfg.Handle)
	a := models.Actor{
		IRI: iri, Local: true, Handle: s.cfg.Handle, Host: s.cfg.Host(),
		KeyID: iri + "#main-key", PublicKeyPEM: pub, PrivateKeyPEM: priv,
		Published: s.now().UTC().Truncate(time.Second),
	}
	s.applyProfile(&a)
	return a, nil
}

// applyProfile copies the configured profile onto the local actor.
func (s *Service) applyProfile(a *models.Actor) {
	iri := s.ActorIRI(a.Handle)
	a.Type = "Organization"
	if s.cfg.IsHub() {
		a.Type = "Group"
	}
	a.Host = s.cfg.Host()
	a.IRI = iri
	a.KeyID = iri + "#main-key"
	a.Name = s.cfg.Name
	a.Summary = s.cfg.Summary
	a.URL = s.cfg.URL("/@" + a.Handle)
	a.IconURL = s.cfg.IconURL
	a.Inbox = iri + "/inbox"
	a.SharedInbox = s.cfg.URL("/inbox")
	a.Outbox = iri + "/outbox"
	a.Followers = iri + "/followers"
	a.Following = iri + "/following"
	a.OrgType = s.cfg.OrgType
	a.Region = s.cfg.Region
	a.ManuallyApprovesFollowers = s.cfg.ManuallyApprovesFollowers
	a.Discoverable = s.cfg.Discoverable
	a.Indexable = s.cfg.Indexable
}

// LocalActor returns the organisation's actor.
func (s *Service) LocalActor(ctx context.Context) (models.Actor, error) {
	return s.store.LocalActor(ctx, s.cfg.Handle)
}

// ActorIRI is the ID of the local actor with the given handle.
func (s *Service) ActorIRI(handle string) string { return s.cfg.URL("/actors/" + handle) }

// CaseStudyIRI is the ID of the local case study with the given slug.
func (s *Service) CaseStudyIRI(slug string) string { return s.cfg.URL("/case-studies/" + slug) }

// SendProfileUpdate sends the organisation's actor document, as an Update,
// to every follower: after a profile change or a key rotation.
func (s *Service) SendProfileUpdate(ctx context.Context) error {
	a, err := s.LocalActor(ctx)
	if err != nil {
		return err
	}
	doc := s.ToActorDocument(a)
	doc.Context = nil
	update := Activity{
		ID: fmt.Sprintf("%s#update-%d", a.IRI, s.now().UnixNano()), Type: "Update", Actor: a.IRI,
		Published: Time(s.now()), To: []string{ap.PublicIRI}, Cc: []string{a.Followers}, Object: doc,
	}
	return s.fanOut(ctx, a, update)
}

// RotateKey gives the organisation's actor a new RSA-2048 key pair and
// tells followers with an Update; peers re-fetch the key when a signature
// by the new one fails against their cached copy.
func (s *Service) RotateKey(ctx context.Context) error {
	a, err := s.LocalActor(ctx)
	if err != nil {
		return err
	}
	priv, pub, err := httpsig.GenerateKeyPEM()
	if err != nil {
		return err
	}
	a.PrivateKeyPEM, a.PublicKeyPEM = priv, pub
	if err := s.store.SaveActor(ctx, &a); err != nil {
		return err
	}
	s.log.Info("rotated the organisation's key", "key", a.KeyID)
	return s.SendProfileUpdate(ctx)
}
