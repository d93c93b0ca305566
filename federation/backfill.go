package federation

import (
	"context"
	"encoding/json"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// maxBackfillPages bounds how many outbox pages one backfill reads.
const maxBackfillPages = 10

// backfill reads a followed peer's outbox and stores its latest case
// studies, up to the configured limit, so that the feed shows its past
// work at once. Only Articles of the peer's own origin are kept.
func (s *Inbox) backfill(ctx context.Context, peer models.Actor) error {
	limit := s.cfg.BackfillLimit
	if limit <= 0 || peer.Outbox == "" {
		return nil
	}
	local, err := s.svc.LocalActor(ctx)
	if err != nil {
		return err
	}
	// Backfilled case studies are old news: a hub does not re-announce them.
	in := inbound{Inbox: s, actor: peer, local: local, act: ap.Activity{Type: "Create"}, backfilling: true}
	col, err := s.fetchCollection(ctx, peer.Outbox)
	if err != nil {
		return err
	}
	page, next := col, col.next
	switch {
	case col.first != nil:
		page, next = col.first, col.first.next
	case col.firstIRI != "":
		page, next = nil, col.firstIRI
	}
	stored := 0
	for pages := 0; pages < maxBackfillPages && stored < limit; pages++ {
		if page == nil {
			if next == "" || !ap.SameOrigin(next, peer.IRI) {
				break
			}
			if page, err = s.fetchCollection(ctx, next); err != nil {
				return err
			}
		}
		for _, raw := range page.items {
			if stored >= limit {
				break
			}
			obj, ok := s.backfillObject(ctx, in, raw)
			if !ok {
				continue
			}
			if err := in.saveCaseStudy(ctx, peer, obj); err != nil {
				s.log.Debug("backfill skipped an item", "item", obj.ID, "err", err)
				continue
			}
			stored++
		}
		next, page = page.next, nil
	}
	s.log.Info("backfilled a peer's outbox", "peer", peer.IRI, "case_studies", stored)
	return nil
}

// backfillObject reads one outbox item: a Create with its Article embedded
// or named by IRI (then fetched), or an Article itself.
func (s *Inbox) backfillObject(ctx context.Context, in inbound, raw json.RawMessage) (ap.Object, bool) {
	var o ap.Object
	if iri, ok := ap.String(raw); ok {
		if !ap.SameOrigin(iri, in.actor.IRI) {
			return o, false
		}
		fetched, err := in.fetchObject(ctx, iri)
		if err != nil {
			return o, false
		}
		o = fetched
	} else {
		parsed, err := parseObject(raw)
		if err != nil {
			return o, false
		}
		o = parsed
	}
	if o.Type == "Create" {
		if o.Actor != in.actor.IRI {
			return o, false
		}
		if o.Object.Object != nil && o.Object.Object.ID != "" {
			o = *o.Object.Object
		} else if o.Object.IRI != "" && ap.SameOrigin(o.Object.IRI, in.actor.IRI) {
			fetched, err := in.fetchObject(ctx, o.Object.IRI)
			if err != nil {
				return o, false
			}
			o = fetched
		}
	}
	if !o.HasType("Article") || !ap.SameOrigin(o.ID, in.actor.IRI) {
		return o, false
	}
	if o.AttributedTo != "" && o.AttributedTo != in.actor.IRI {
		return o, false
	}
	return o, true
}

// collectionPage is a collection or page as backfill reads it.
type collectionPage struct {
	items    []json.RawMessage
	next     string
	firstIRI string
	first    *collectionPage
}

// fetchCollection fetches a collection or a page of one.
func (s *Inbox) fetchCollection(ctx context.Context, iri string) (*collectionPage, error) {
	resp, err := s.fetcher.Document(ctx, iri)
	if err != nil {
		return nil, err
	}
	return parseCollection(resp.Body)
}

// parseCollection reads orderedItems (or items), next and first, each of
// which may be an IRI or an embedded object.
func parseCollection(body []byte) (*collectionPage, error) {
	if _, err := parseObject(body); err != nil {
		return nil, err
	}
	var f map[string]json.RawMessage
	if err := json.Unmarshal(body, &f); err != nil {
		return nil, apperr.Errorf(apperr.BadGateway, "the collection is not a JSON object")
	}
	p := &collectionPage{}
	p.items = append(ap.Items(f["orderedItems"]), ap.Items(f["items"])...)
	p.next = ap.IRI(f["next"])
	if first := f["first"]; first != nil {
		if iri, ok := ap.String(first); ok {
			p.firstIRI = iri
		} else if fp, err := parseCollection(first); err == nil {
			p.first = fp
		}
	}
	return p, nil
}
