package service

import (
	"context"
	"fmt"
	"strconv"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// A case study's status id, as the client API shows it, is its
// publication time in Unix milliseconds shifted left by 16 bits, plus the
// low 16 bits of its row id (as Mastodon's snowflake ids): numeric,
// ordered by publication time (a backfilled case study sorts at its own
// date), and stable while the case study keeps its publication date.

// StatusID is the status id of a case study published at ms Unix
// milliseconds with the given row id.
func StatusID(ms, rowID int64) string {
	return strconv.FormatInt(ms<<16|rowID&0xffff, 10)
}

// TimelineItem is a case study on a timeline: its view, its status id,
// and its author's row id, local flag and icon.
type TimelineItem struct {
	CaseStudyView
	StatusID      string
	AuthorID      int64
	AuthorLocal   bool
	AuthorIconURL string
}

// TimelineFilter selects a page of a timeline; ids are status ids ("" is
// open).
type TimelineFilter struct {
	LocalOnly, RemoteOnly bool
	// MaxID and SinceID bound the page (exclusive), newest first; MinID
	// gives the page just after it, oldest first in the store but
	// returned newest first.
	MaxID, SinceID, MinID string
	Limit                 int
}

// Timeline returns a page of case studies, newest first. It returns an
// invalid error for an id that is not a number, or the store's error.
func (s *CaseStudies) Timeline(ctx context.Context, f TimelineFilter) ([]TimelineItem, error) {
	q := models.TimelineQuery{LocalOnly: f.LocalOnly, RemoteOnly: f.RemoteOnly, Limit: f.Limit}
	var err error
	if q.Before, err = bound(f.MaxID); err != nil {
		return nil, err
	}
	if q.After, err = bound(f.SinceID); err != nil {
		return nil, err
	}
	if f.MinID != "" {
		if q.After, err = bound(f.MinID); err != nil {
			return nil, err
		}
		q.Oldest = true
	}
	cs, err := s.store.CaseStudies.Timeline(ctx, q)
	if err != nil {
		return nil, err
	}
	if q.Oldest {
		for i, j := 0, len(cs)-1; i < j; i, j = i+1, j-1 {
			cs[i], cs[j] = cs[j], cs[i]
		}
	}
	return s.timelineItems(ctx, cs)
}

// StatusByID returns the case study with the given status id, or a not
// found error.
func (s *CaseStudies) StatusByID(ctx context.Context, id string) (TimelineItem, error) {
	b, err := bound(id)
	if err != nil {
		return TimelineItem{}, fmt.Errorf("status %q: %w", id, models.ErrNotFound)
	}
	before := models.TimelineBound{Millis: b.Millis, Low: b.Low + 1}
	after := models.TimelineBound{Millis: b.Millis, Low: b.Low - 1}
	cs, err := s.store.CaseStudies.Timeline(ctx, models.TimelineQuery{Before: &before, After: &after, Limit: 1})
	if err != nil {
		return TimelineItem{}, err
	}
	if len(cs) == 0 {
		return TimelineItem{}, fmt.Errorf("status %q: %w", id, models.ErrNotFound)
	}
	items, err := s.timelineItems(ctx, cs)
	if err != nil {
		return TimelineItem{}, err
	}
	return items[0], nil
}

// timelineItems converts rows, loading each author once.
func (s *CaseStudies) timelineItems(ctx context.Context, cs []models.CaseStudy) ([]TimelineItem, error) {
	items := make([]TimelineItem, 0, len(cs))
	authors := map[int64]models.Actor{}
	for _, c := range cs {
		author, ok := authors[c.ActorID]
		if !ok {
			var err error
			if author, err = s.store.Actors.ByID(ctx, c.ActorID); err != nil {
				return nil, err
			}
			authors[c.ActorID] = author
		}
		items = append(items, TimelineItem{
			CaseStudyView: toView(c, author), StatusID: StatusID(c.Published.UnixMilli(), c.ID),
			AuthorID: author.ID, AuthorLocal: author.Local, AuthorIconURL: author.IconURL,
		})
	}
	return items, nil
}

// bound parses a status id; "" is no bound.
func bound(id string) (*models.TimelineBound, error) {
	if id == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < 0 {
		return nil, apperr.Errorf(apperr.Invalid, "not a status id: %q", id)
	}
	return &models.TimelineBound{Millis: n >> 16, Low: n & 0xffff}, nil
}
