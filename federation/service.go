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
	"github.com/pollen-coop/pollen/federation/delivery"
	"github.com/pollen-coop/pollen/federation/directory"
	"github.com/pollen-coop/pollen/federation/discovery"
	"github.com/pollen-coop/pollen/federation/doccache"
	"github.com/pollen-coop/pollen/federation/fetch"
	"github.com/pollen-coop/pollen/federation/groupcommit"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/federation/inboxrun"
	"github.com/pollen-coop/pollen/federation/liveness"
	"github.com/pollen-coop/pollen/federation/policy"
	"github.com/pollen-coop/pollen/federation/profile"
	"github.com/pollen-coop/pollen/federation/topics"
	"github.com/pollen-coop/pollen/federation/transport"
	"github.com/pollen-coop/pollen/models"
)

// core is what a Service, its Documents, its Follows and its Inbox share: the
// configuration, the store, the log, the clock and the node's long-lived
// state. It has fields only; each of the four types embeds the same one.
type core struct {
	cfg   config.Config
	store *models.Store
	log   *slog.Logger
	now   func() time.Time
	// deliveries queues outgoing activities and delivers them.
	deliveries *delivery.Runner
	// proc is this process's heartbeat, held by the runners.
	proc *liveness.Process

	// transport makes every outgoing request; fetcher reads other
	// servers; verifier checks incoming signatures.
	transport *transport.Transport
	fetcher   Fetcher
	verifier  *verifier
	docCache  *doccache.Cache // the served documents; Changed after a change
	// policy is the federation policy: blocked domains and actors, the
	// allowlist; the inbox, the fetcher and the deliveries check it.
	policy  *policy.Policy
	profile *profile.Live // the organisation's profile, saved or configured
	// topics are a hub's topic actors; directory the nodes it knows.
	topics    *topics.Topics
	directory *directory.Directory
}

// Service does what the node does with its own actor: its profile and
// keys, and the fan-out of what it publishes; handlers and the CLI call
// it. The documents the node serves are its Documents, its follows both
// ways its Follows, and the processing of what its inbox receives is its
// Inbox.
type Service struct {
	*core
	docs    *Documents
	inbox   *Inbox
	follows *Follows
}

// Documents builds the ActivityStreams documents and activities the node
// serves and sends (the actor, the outbox, collections, case studies as
// Articles, replies), and the WebFinger, host-meta and NodeInfo answers.
type Documents struct {
	*core
	*discovery.Discovery
}

// Option changes a Service made by New.
type Option func(*Service)

// WithClock sets the clock the service reads (tests).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// handoffBytes bounds the payloads of the received activities whose
// parse the inbox hands to its processor (inboxrun.Handoff).
const handoffBytes = 8 << 20

// New makes a Service over store with configuration cfg, with its
// Documents, its Follows and its Inbox. It starts the Inbox's group commit
// of received activities, which Inbox.Close stops.
func New(cfg config.Config, store *models.Store, log *slog.Logger, opts ...Option) *Service {
	s := &Service{core: &core{cfg: cfg, store: store, log: log, now: time.Now, docCache: doccache.New()}}
	s.docs = &Documents{core: s.core, Discovery: discovery.New(cfg, store, Version)}
	s.follows = &Follows{core: s.core, svc: s}
	s.inbox = &Inbox{core: s.core, svc: s, inboxWake: make(chan struct{}, 1), parsed: inboxrun.NewHandoff[ap.Activity](handoffBytes), commits: groupcommit.Start(
		func(ctx context.Context, as []*models.Activity) []models.ActivityRecorded {
			return store.Activities.RecordBatch(ctx, as)
		})}
	for _, o := range opts {
		o(s)
	}
	clock := func() time.Time { return s.now() }
	s.policy = policy.New(cfg, store, log)
	s.policy.OnChange(s.docCache.Changed)
	s.profile = profile.New(cfg, store, log)
	s.profile.OnChange(s.docCache.Changed)
	s.topics = topics.New(cfg, store, log, clock)
	s.directory = directory.New(cfg, store, directoryGetter{s}, log, clock, Version)
	s.transport = transport.New(cfg, Version, clock)
	s.fetcher = Fetcher{fetch.New(cfg, store, transportGetter{s.transport}, log, clock, fetch.WithGate(s.policy))}
	s.verifier = newVerifier(s.fetcher.Keys(), cfg.BaseURL, clock)
	s.proc = liveness.New(cfg.DataDir, store, log, clock)
	s.deliveries = delivery.New(cfg, store, log, s.proc, delivery.WithClock(clock),
		delivery.WithPoster(policy.Poster{Policy: s.policy, Next: delivery.TransportPoster{Transport: s.transport}}),
		delivery.WithInboxGone(s.removeFollowersAt))
	return s
}

// Policy returns the node's federation policy, which New made with no
// rules: Load it before serving, and Run it beside the server.
func (s *Service) Policy() *policy.Policy { return s.policy }

// Documents returns the documents the node serves, over the same store
// and configuration as s.
func (s *Service) Documents() *Documents { return s.docs }

// Cache is the cache of the served documents (ActorDocument, CaseStudyDocument).
func (s *Documents) Cache() *doccache.Cache { return s.docCache }

// Profile is the organisation's profile: Load it before serving.
func (s *Documents) Profile() *profile.Live { return s.profile }

// NodeProfile is the organisation's profile as it is now.
func (s *Service) NodeProfile() profile.Profile { return s.profile.Current() }

// Follows returns the organisation's follows and followers.
func (s *Service) Follows() *Follows { return s.follows }

// Inbox returns the processor of what the node's inboxes receive.
func (s *Service) Inbox() *Inbox { return s.inbox }

// EnsureLocalActor returns the organisation's actor, creating it with a new
// RSA-2048 key pair on first use (when two processes start at once, one
// creates it and both use it). It returns an error when the actor was made
// under another base URL: IDs never change, so the configuration must
// keep the base URL the node was set up with.
func (s *Service) EnsureLocalActor(ctx context.Context) (models.Actor, error) {
	a, err := s.store.Actors.Local(ctx, s.cfg.Handle)
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
	err = s.store.Actors.Create(ctx, &a)
	if errors.Is(err, models.ErrConflict) {
		return s.store.Actors.Local(ctx, s.cfg.Handle)
	}
	if err != nil {
		return a, fmt.Errorf("federation: create local actor: %w", err)
	}
	s.log.Info("created the organisation's actor and its key pair", "actor", a.IRI)
	return a, nil
}

// SyncProfile brings the organisation's actor in line with its profile
// (the saved one, else the configuration's) and, when anything changed, sends it to followers as an
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
	if err := s.store.Actors.Save(ctx, &want); err != nil {
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
	p := s.profile.Current()
	a.Name, a.Summary = p.Name, p.Summary
	a.URL, a.IconURL = s.cfg.URL("/@"+a.Handle), p.IconURL
	a.SharedInbox = s.cfg.URL("/inbox")
	a.Inbox, a.Outbox = iri+"/inbox", iri+"/outbox"
	a.Followers, a.Following = iri+"/followers", iri+"/following"
	a.OrgType, a.Region = p.OrgType, p.Region
	a.ManuallyApprovesFollowers, a.Discoverable, a.Indexable = s.cfg.ManuallyApprovesFollowers, s.cfg.Discoverable, s.cfg.Indexable
}

// LocalActor returns the organisation's actor.
func (s *Service) LocalActor(ctx context.Context) (models.Actor, error) {
	return s.store.Actors.Local(ctx, s.cfg.Handle)
}

// ActorIRI is the ID of the local actor with the given handle.
func (s *Service) ActorIRI(handle string) string { return actorIRI(s.cfg, handle) }

// actorIRI is the ID of the local actor handle under cfg's base URL.
func actorIRI(cfg config.Config, handle string) string { return cfg.URL("/actors/" + handle) }

// CaseStudyIRI is the ID of the local case study with the given slug.
func (s *Service) CaseStudyIRI(slug string) string { return s.cfg.URL("/case-studies/" + slug) }

// SendProfileUpdate sends the organisation's actor document, as an Update,
// to every follower: after a profile change or a key rotation.
func (s *Service) SendProfileUpdate(ctx context.Context) error {
	s.docCache.Changed()
	a, err := s.LocalActor(ctx)
	if err != nil {
		return err
	}
	doc := s.docs.ToActorDocument(a)
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
	if err := s.store.Actors.Save(ctx, &a); err != nil {
		return err
	}
	s.log.Info("rotated the organisation's key", "key", a.KeyID)
	return s.SendProfileUpdate(ctx)
}
