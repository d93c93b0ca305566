package federation

import (
	"context"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/convert"
	"github.com/pollen-coop/pollen/models"
)

// The kinds of what Resolve finds.
const (
	ResolvedActor     = "actor"
	ResolvedCaseStudy = "case_study"
	ResolvedNote      = "note"
)

// Resolved is what Resolve found and stored.
type Resolved struct {
	// Kind is ResolvedActor or the kind of object (ResolvedCaseStudy);
	// "" when the object is of no kind the node keeps.
	Kind string
	// Actor is the actor found, or the object's author.
	Actor models.Actor
	// IRI is the object's IRI; empty for an actor.
	IRI string
}

// Resolve finds, fetches and stores what a search names (fetch.Lookup):
// a handle or an actor URL gives the actor; the URL of an object gives
// the object, stored as the inbox stores a received one of its kind
// (keepResolved says which kinds), with its author. It returns a 400
// *apperr.Error for a query it cannot fetch (a malformed handle, a
// private address), a 403 *apperr.Error for a domain or an actor the
// federation policy refuses, a 404 *apperr.Error for a handle its host
// does not know, a 502 *apperr.Error for a host that does not answer or answers
// with something unusable (a document of another origin), the errors of
// storing the object, and the store's.
func (s *Service) Resolve(ctx context.Context, query string) (Resolved, error) {
	found, err := s.fetcher.Fetcher.Lookup(ctx, query)
	if err != nil {
		return Resolved{}, fetchError(err)
	}
	if err := forbidden(s.policy.CheckActor(found.Actor.IRI)); err != nil {
		return Resolved{}, err // a blocked actor known before its block
	}
	if found.Object == nil {
		return Resolved{Kind: ResolvedActor, Actor: found.Actor}, nil
	}
	local, err := s.LocalActor(ctx)
	if err != nil {
		return Resolved{}, err
	}
	// Stored as backfilled case studies are: old news, which a hub does
	// not re-announce.
	in := inbound{Inbox: s.inbox, actor: found.Actor, local: local, act: ap.Activity{Type: "Create"}, backfilling: true}
	kind, err := in.keepResolved(ctx, *found.Object)
	if err != nil {
		return Resolved{}, err
	}
	return Resolved{Kind: kind, Actor: found.Actor, IRI: found.Object.ID}, nil
}

// keepResolved stores an object found by a search as the inbox stores
// one of its kind, by its author in.actor (a note whatever it concerns:
// someone asked for it), and returns its kind: "" (and nothing stored)
// for a kind the node does not keep.
func (in inbound) keepResolved(ctx context.Context, obj ap.Object) (string, error) {
	switch {
	case obj.HasType("Article"):
		return ResolvedCaseStudy, in.saveCaseStudy(ctx, in.actor, obj)
	case convert.IsNoteType(obj):
		return ResolvedNote, in.saveNote(ctx, obj)
	}
	return "", nil
}
