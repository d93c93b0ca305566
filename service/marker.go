package service

import (
	"context"
	"slices"
	"time"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// The timelines a marker may be set on.
const (
	MarkerHome          = "home"
	MarkerNotifications = "notifications"
)

// MarkerView is a user's read position in a timeline.
type MarkerView struct {
	Timeline   string
	LastReadID string
	Version    int64
	UpdatedAt  time.Time
}

// maxMarkerID is the longest last-read id kept.
const maxMarkerID = 64

// Markers returns the user's markers of the timelines among "home" and
// "notifications" that have one; other names are ignored. It returns the
// store's errors.
func (s *Notifications) Markers(ctx context.Context, userID int64, timelines []string) ([]MarkerView, error) {
	var names []string
	for _, t := range timelines {
		if (t == MarkerHome || t == MarkerNotifications) && !slices.Contains(names, t) {
			names = append(names, t)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	rows, err := s.store.Markers.Get(ctx, userID, names)
	if err != nil {
		return nil, err
	}
	out := make([]MarkerView, 0, len(rows))
	for _, m := range rows {
		out = append(out, MarkerView{Timeline: m.Timeline, LastReadID: m.LastReadID, Version: m.Version, UpdatedAt: m.UpdatedAt})
	}
	return out, nil
}

// SetMarkers moves the user's markers (timeline → last read id), each one
// version on, in one transaction, and returns them. It returns an unprocessable error, changing
// nothing, for none, a timeline other than "home" or "notifications", or
// an id that is empty, not a number or too long; the store's errors.
func (s *Notifications) SetMarkers(ctx context.Context, userID int64, lastRead map[string]string) ([]MarkerView, error) {
	if len(lastRead) == 0 {
		return nil, apperr.Errorf(apperr.Unprocessable, "name a timeline: home[last_read_id] or notifications[last_read_id]")
	}
	for t, id := range lastRead {
		if t != MarkerHome && t != MarkerNotifications {
			return nil, apperr.Errorf(apperr.Unprocessable, "no marker for the timeline %q: home or notifications", t)
		}
		if id == "" || len(id) > maxMarkerID || !digits(id) {
			return nil, apperr.Errorf(apperr.Unprocessable, "%s[last_read_id] is not an id: %q", t, id)
		}
	}
	var out []MarkerView
	err := s.store.Atomically(ctx, func(tx *models.Store) error {
		out = out[:0]
		for _, t := range []string{MarkerHome, MarkerNotifications} {
			id, ok := lastRead[t]
			if !ok {
				continue
			}
			m, err := tx.Markers.Set(ctx, userID, t, id)
			if err != nil {
				return err
			}
			out = append(out, MarkerView{Timeline: m.Timeline, LastReadID: m.LastReadID, Version: m.Version, UpdatedAt: m.UpdatedAt})
		}
		return nil
	})
	return out, err
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
