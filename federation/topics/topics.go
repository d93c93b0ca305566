// Package topics is a hub's topic actors: one followable actor per service
// area, so that a follower (a Mastodon user, another node) can follow one
// topic across the whole region. Each is a local actor of its own, with
// its own key, made for every area of the known list when the hub starts
// and for a free-text area the first time a received case study names it
// (at most MaxFree of those). federation announces a received case study
// from its topic's actor to that topic's followers; this package makes and
// finds the actors, and names their Announces.
package topics

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/models"
)

// Known is the known list of service areas, in the order forms offer
// them; a case study may name another as free text.
var Known = []string{
	"adult social care", "children's services", "libraries", "leisure", "youth services",
	"health", "housing", "culture", "environment", "transport", "education", "community services",
}

// MaxFree is the most topic actors a hub makes for free-text service
// areas, which come from remote input: past it, a new free-text area gets
// no topic actor (its case studies are still announced by the hub).
const MaxFree = 200

// MaxHandle is the longest handle a topic actor gets: a slug longer is
// cut at a hyphen.
const MaxHandle = 40

// ErrNoTopic means a service area has, and gets, no topic actor: it is
// empty, makes an empty handle, or is a new free-text area past MaxFree.
var ErrNoTopic = errors.New("topics: no topic actor for this area")

// Topic is a topic and its actor.
type Topic struct {
	models.Topic
	Actor models.Actor
}

// Topics makes and finds a hub's topic actors.
type Topics struct {
	cfg   config.Config
	store *models.Store
	log   *slog.Logger
	now   func() time.Time
}

// New makes the topics of the hub configured by cfg, over store.
func New(cfg config.Config, store *models.Store, log *slog.Logger, now func() time.Time) *Topics {
	return &Topics{cfg: cfg, store: store, log: log, now: now}
}

// Area is a service area as topics compare it: trimmed, its spaces
// collapsed, lower case.
func Area(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// Slug is the handle of an area's topic actor: lower-case ASCII letters
// and digits, every other run of characters one hyphen (apostrophes
// dropped: "children's services" is childrens-services), at most
// MaxHandle characters. It is empty for an area with no letter or digit.
func Slug(area string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(area) {
		switch {
		case r == '\'' || r == '’':
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
	}
	s := b.String()
	if len(s) > MaxHandle {
		s = s[:MaxHandle]
		if i := strings.LastIndexByte(s, '-'); i > 0 {
			s = s[:i]
		}
		s = strings.TrimRight(s, "-")
	}
	return s
}

// AnnounceID is the fixed id of actor's Announce of the object iri: the
// same announce is never two activities, however often it is queued.
func AnnounceID(actor, iri string) string {
	sum := sha256.Sum256([]byte(iri))
	return actor + "/announces/" + hex.EncodeToString(sum[:16])
}

// Without is inboxes less those in seen, in order.
func Without(inboxes, seen []string) []string {
	out := make([]string, 0, len(inboxes))
	for _, in := range inboxes {
		if !slices.Contains(seen, in) {
			out = append(out, in)
		}
	}
	return out
}

// handle is the topic actor's handle for area, never the organisation's.
func (t *Topics) handle(area string) string {
	h := Slug(area)
	if h != "" && h == t.cfg.Handle {
		h += "-topic"
	}
	return h
}

// Of returns the topic actor that announces case studies of area, in
// store (a transaction's, or the node's), or ErrNoTopic when it has none
// yet. It makes nothing.
func (t *Topics) Of(ctx context.Context, store *models.Store, area string) (Topic, error) {
	h := t.handle(Area(area))
	if h == "" {
		return Topic{}, ErrNoTopic
	}
	return t.byHandle(ctx, store, h)
}

func (t *Topics) byHandle(ctx context.Context, store *models.Store, handle string) (Topic, error) {
	row, err := store.Topics.ByHandle(ctx, handle)
	if errors.Is(err, models.ErrNotFound) {
		return Topic{}, ErrNoTopic
	}
	if err != nil {
		return Topic{}, err
	}
	a, err := store.Actors.ByID(ctx, row.ActorID)
	return Topic{Topic: row, Actor: a}, err
}

// ByHandle returns the topic whose actor has the handle, or
// models.ErrNotFound.
func (t *Topics) ByHandle(ctx context.Context, handle string) (Topic, error) {
	tp, err := t.byHandle(ctx, t.store, handle)
	if errors.Is(err, ErrNoTopic) {
		return tp, fmt.Errorf("topics: @%s: %w", handle, models.ErrNotFound)
	}
	return tp, err
}

// AllTopics returns every topic with its actor: the known areas first.
func (t *Topics) AllTopics(ctx context.Context) ([]Topic, error) {
	rows, err := t.store.Topics.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Topic, 0, len(rows))
	for _, r := range rows {
		a, err := t.store.Actors.ByID(ctx, r.ActorID)
		if err != nil {
			return nil, err
		}
		out = append(out, Topic{Topic: r, Actor: a})
	}
	return out, nil
}

// EnsureKnown makes the topic actor of every area of the known list that
// has none yet; a hub calls it when it starts.
func (t *Topics) EnsureKnown(ctx context.Context) error {
	for _, area := range Known {
		if _, err := t.Ensure(ctx, area); err != nil {
			return err
		}
	}
	return nil
}

// Ensure returns the topic actor of area, making it (with a new RSA-2048
// key) when it has none: for an area of the known list always, for a
// free-text one while fewer than MaxFree exist. Areas whose slugs are the
// same share one actor. It returns ErrNoTopic for an area that gets none,
// and the store's errors.
func (t *Topics) Ensure(ctx context.Context, area string) (Topic, error) {
	area = Area(area)
	h := t.handle(area)
	if h == "" {
		return Topic{}, ErrNoTopic
	}
	if tp, err := t.byHandle(ctx, t.store, h); !errors.Is(err, ErrNoTopic) {
		return tp, err
	}
	known := slices.Contains(Known, area)
	if !known {
		n, err := t.store.Topics.CountFree(ctx)
		if err != nil {
			return Topic{}, err
		}
		if n >= MaxFree {
			return Topic{}, ErrNoTopic
		}
	}
	a, err := t.newActor(h, area)
	if err != nil {
		return Topic{}, err
	}
	row := models.Topic{Area: area, Handle: h, Known: known}
	err = t.store.Atomically(ctx, func(tx *models.Store) error {
		if err := tx.Actors.Create(ctx, &a); err != nil {
			return err
		}
		row.ActorID = a.ID
		return tx.Topics.Create(ctx, &row)
	})
	if errors.Is(err, models.ErrConflict) {
		// Made meanwhile by another process, or the handle is an
		// actor's that is no topic's.
		return t.byHandle(ctx, t.store, h)
	}
	if err != nil {
		return Topic{}, fmt.Errorf("topics: make @%s: %w", h, err)
	}
	t.log.Info("made a topic actor", "topic", h, "area", area)
	return Topic{Topic: row, Actor: a}, nil
}

// newActor is the local actor of a topic: a Service (Mastodon shows it as
// an automated account) named after its area, whose page is the hub's
// /topics/{handle}.
func (t *Topics) newActor(handle, area string) (models.Actor, error) {
	priv, pub, err := httpsig.GenerateKeyPEM()
	if err != nil {
		return models.Actor{}, err
	}
	iri := t.cfg.URL("/actors/" + handle)
	return models.Actor{
		IRI: iri, Local: true, Type: "Service", Handle: handle, Host: t.cfg.Host(),
		Name:    capitalise(area) + " · " + t.cfg.Name,
		Summary: "Every case study about " + area + " that " + t.cfg.Name + " receives from the nodes it follows.",
		URL:     t.cfg.URL("/topics/" + handle), IconURL: t.cfg.IconURL,
		Inbox: iri + "/inbox", SharedInbox: t.cfg.URL("/inbox"), Outbox: iri + "/outbox",
		Followers: iri + "/followers", Following: iri + "/following",
		KeyID: iri + "#main-key", PublicKeyPEM: pub, PrivateKeyPEM: priv,
		OrgType: t.cfg.OrgType, Region: t.cfg.Region, ServiceArea: area,
		Discoverable: t.cfg.Discoverable, Indexable: t.cfg.Indexable,
		Published: t.now().UTC().Truncate(time.Second),
	}, nil
}

// capitalise upper-cases the first letter of s.
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
