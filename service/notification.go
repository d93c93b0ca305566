package service

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// Notifications are what the organisation is told of (follows, follow
// requests, mentions, reblogs), as the Mastodon API lists them, and the
// users' read markers.
type Notifications struct {
	store    *models.Store
	statuses *Statuses
}

// NewNotifications makes the notifications kept in store, showing their
// statuses through statuses.
func NewNotifications(store *models.Store, statuses *Statuses) *Notifications {
	return &Notifications{store: store, statuses: statuses}
}

// NotificationView is a notification: its id, type (models.NotifyFollow,
// NotifyFollowRequest, NotifyMention or NotifyReblog), time, the actor it
// is of and, for a mention or a reblog, the status.
type NotificationView struct {
	ID        string
	Type      string
	CreatedAt time.Time
	Account   models.Actor
	Status    *TimelineItem
}

// NotificationFilter selects a page of notifications, newest first (the
// page just after MinID with it); ids are notification ids, "" open.
type NotificationFilter struct {
	Types, ExcludeTypes   []string
	MaxID, SinceID, MinID string
	Limit                 int
}

// List returns a page of notifications, newest first. A notification
// whose actor or status is gone is left out. It returns an invalid error
// for an id that is not a number, or the store's errors.
func (s *Notifications) List(ctx context.Context, f NotificationFilter) ([]NotificationView, error) {
	q := models.NotificationQuery{Types: f.Types, ExcludeTypes: f.ExcludeTypes, Limit: f.Limit}
	for _, b := range []struct {
		id  string
		dst *int64
	}{{f.MaxID, &q.MaxID}, {f.SinceID, &q.SinceID}, {f.MinID, &q.MinID}} {
		n, err := strconv.ParseInt(b.id, 10, 64)
		if b.id != "" && (err != nil || n < 0) {
			return nil, apperr.Errorf(apperr.Invalid, "not a notification id: %q", b.id)
		}
		*b.dst = n
	}
	rows, err := s.store.Notifications.Page(ctx, q)
	if err != nil {
		return nil, err
	}
	if q.MinID != 0 {
		for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
			rows[i], rows[j] = rows[j], rows[i]
		}
	}
	out := make([]NotificationView, 0, len(rows))
	for _, n := range rows {
		v, err := s.view(ctx, n)
		if errors.Is(err, models.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Get returns the notification with the id, or a not found error.
func (s *Notifications) Get(ctx context.Context, id string) (NotificationView, error) {
	n, err := s.byID(ctx, id)
	if err != nil {
		return NotificationView{}, err
	}
	v, err := s.view(ctx, n)
	if errors.Is(err, models.ErrNotFound) {
		return NotificationView{}, unknownNotification(id)
	}
	return v, err
}

// Dismiss removes the notification with the id; a not found error if
// there is none.
func (s *Notifications) Dismiss(ctx context.Context, id string) error {
	n, err := s.byID(ctx, id)
	if err != nil {
		return err
	}
	if err := s.store.Notifications.Dismiss(ctx, n.ID); errors.Is(err, models.ErrNotFound) {
		return unknownNotification(id)
	} else if err != nil {
		return err
	}
	return nil
}

// Clear removes every notification; it returns the store's errors.
func (s *Notifications) Clear(ctx context.Context) error {
	return s.store.Notifications.Clear(ctx)
}

func (s *Notifications) byID(ctx context.Context, id string) (models.Notification, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return models.Notification{}, unknownNotification(id)
	}
	row, err := s.store.Notifications.ByID(ctx, n)
	if errors.Is(err, models.ErrNotFound) {
		return row, unknownNotification(id)
	}
	return row, err
}

func unknownNotification(id string) error {
	return apperr.Errorf(apperr.NotFound, "no such notification: %q", id)
}

// view is a notification with its actor and status; models.ErrNotFound
// when either is gone.
func (s *Notifications) view(ctx context.Context, n models.Notification) (NotificationView, error) {
	a, err := s.store.Actors.ByID(ctx, n.ActorID)
	if err != nil {
		return NotificationView{}, err
	}
	v := NotificationView{ID: strconv.FormatInt(n.ID, 10), Type: n.Type, CreatedAt: n.CreatedAt, Account: a}
	if n.StatusID == 0 {
		return v, nil
	}
	it, err := s.statuses.StatusByID(ctx, strconv.FormatInt(n.StatusID, 10))
	var ae *apperr.Error
	if errors.Is(err, models.ErrNotFound) || (errors.As(err, &ae) && ae.Kind == apperr.NotFound) {
		return v, models.ErrNotFound
	}
	if err != nil {
		return v, err
	}
	v.Status = &it
	return v, nil
}
