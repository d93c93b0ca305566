package service

import (
	"context"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// Statuses reads what Mastodon clients show as statuses: case studies,
// notes and announces, on timelines and one by one, with their threads.
type Statuses struct {
	cfg   config.Config
	store *models.Store
	fed   StatusFederation
	log   *slog.Logger
	now   func() time.Time
	// orgID is the organisation's actor id once read (organisationID).
	orgID atomic.Int64
}

// NewStatuses makes the statuses of the node configured by cfg, over
// store, sending what is posted through fed, dating it by now (nil:
// time.Now).
func NewStatuses(cfg config.Config, store *models.Store, fed StatusFederation, log *slog.Logger, now func() time.Time) *Statuses {
	if now == nil {
		now = time.Now
	}
	return &Statuses{cfg: cfg, store: store, fed: fed, log: log, now: now}
}

// Timelines.
const (
	TimelinePublic  = "public"
	TimelineHome    = "home"
	TimelineTag     = "tag"
	TimelineAccount = "account"
)

// TimelineFilter selects a page of a timeline; ids are status ids ("" is
// open).
type TimelineFilter struct {
	// Timeline is TimelinePublic (the default), TimelineHome, TimelineTag
	// or TimelineAccount.
	Timeline string
	// LocalOnly and RemoteOnly narrow the public and tag timelines.
	LocalOnly, RemoteOnly bool
	// Tag is the hashtag of the tag timeline; on the account timeline it
	// keeps the statuses with that hashtag.
	Tag string
	// AccountID is the actor of the account timeline.
	AccountID int64
	// OnlyMedia, ExcludeReplies and ExcludeReblogs narrow the account
	// timeline (models.TimelineQuery).
	OnlyMedia, ExcludeReplies, ExcludeReblogs bool
	// MaxID and SinceID bound the page (exclusive), newest first; MinID
	// gives the page just after it.
	MaxID, SinceID, MinID string
	Limit                 int
}

// Changes counts the changes this process has committed to what statuses
// are built from (models.Store.Changes): a page of a timeline built after
// reading it is current while it stays the same.
func (s *Statuses) Changes() uint64 { return s.store.Changes() }

// Timeline returns a page of a timeline, newest first; the home timeline
// is the organisation's. It returns an invalid error for an id that is
// not a number, or the store's error.
func (s *Statuses) Timeline(ctx context.Context, f TimelineFilter) ([]TimelineItem, error) {
	q := models.TimelineQuery{LocalOnly: f.LocalOnly, RemoteOnly: f.RemoteOnly, Tag: f.Tag, ActorID: f.AccountID, Limit: f.Limit,
		OnlyMedia: f.OnlyMedia, ExcludeReplies: f.ExcludeReplies, ExcludeReblogs: f.ExcludeReblogs}
	switch f.Timeline {
	case TimelineHome:
		org, err := s.organisationID(ctx)
		if err != nil {
			return nil, err
		}
		q.Scope, q.Viewer = models.ScopeHome, org
	case TimelineTag:
		q.Scope = models.ScopeTag
	case TimelineAccount:
		q.Scope = models.ScopeAccount
	}
	var err error
	for _, b := range []struct {
		id  string
		dst *int64
	}{{f.MaxID, &q.MaxID}, {f.SinceID, &q.SinceID}, {f.MinID, &q.MinID}} {
		if *b.dst, err = parseStatusID(b.id); err != nil {
			return nil, err
		}
	}
	entries, err := s.store.Timelines.Page(ctx, q)
	if err != nil {
		return nil, err
	}
	if q.MinID != 0 {
		for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
			entries[i], entries[j] = entries[j], entries[i]
		}
	}
	return s.items(ctx, entries)
}

// StatusByID returns the status with the given status id, or a not found
// error.
func (s *Statuses) StatusByID(ctx context.Context, id string) (TimelineItem, error) {
	n, err := parseStatusID(id)
	if err != nil || n == 0 {
		return TimelineItem{}, apperr.Errorf(apperr.NotFound, "no such status: %q", id)
	}
	e, err := s.store.Timelines.ByStatusID(ctx, n)
	if err != nil {
		return TimelineItem{}, err
	}
	items, err := s.items(ctx, []models.TimelineEntry{e})
	if err != nil {
		return TimelineItem{}, err
	}
	if len(items) == 0 {
		return TimelineItem{}, apperr.Errorf(apperr.NotFound, "no such status: %q", id)
	}
	return items[0], nil
}

// parseStatusID parses a status id; "" is 0, no bound.
func parseStatusID(id string) (int64, error) {
	if id == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < 0 {
		return 0, apperr.Errorf(apperr.Invalid, "not a status id: %q", id)
	}
	return n, nil
}

// organisationID is the id of the organisation's actor, read once: the
// row of a node's own actor is never replaced, and reading it (keys
// included) was a tenth of a page of the home timeline.
func (s *Statuses) organisationID(ctx context.Context) (int64, error) {
	if id := s.orgID.Load(); id != 0 {
		return id, nil
	}
	org, err := s.fed.LocalActor(ctx)
	if err != nil {
		return 0, err
	}
	s.orgID.Store(org.ID)
	return org.ID, nil
}
