// Package notices holds what the organisation is told of through the
// Mastodon client API: its notifications, the read markers of its users
// and the idempotency keys of the statuses they posted.
package notices

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
	"github.com/pollen-coop/pollen/models/policy"
	"gorm.io/gorm/clause"
)

// Notification types, as Mastodon names them.
const (
	NotifyFollow        = "follow"
	NotifyFollowRequest = "follow_request"
	NotifyMention       = "mention"
	NotifyReblog        = "reblog"
)

// Notification is something the organisation is told of: an actor
// followed it or asked to, mentioned or answered it (StatusID the note),
// or announced one of its case studies (StatusID the case study).
type Notification struct {
	ID        int64     `gorm:"primaryKey"`
	Type      string    `gorm:"not null;uniqueIndex:idx_notifications_key"`
	ActorID   int64     `gorm:"not null;uniqueIndex:idx_notifications_key"`
	StatusID  int64     `gorm:"not null;default:0;uniqueIndex:idx_notifications_key"`
	CreatedAt time.Time `gorm:"not null"`
}

// NotificationQuery selects a page of notifications, newest first (oldest
// first with MinID); ids are notification ids, 0 open.
type NotificationQuery struct {
	Types, ExcludeTypes   []string
	MaxID, SinceID, MinID int64
	Limit                 int
}

// NotificationStore reads and writes notifications. Reach it as
// Store.Notifications.
type NotificationStore struct{ dbconn.Conn }

// Add records a notification; the same one again (type, actor, status)
// changes nothing.
func (s *NotificationStore) Add(ctx context.Context, n *Notification) error {
	if n.CreatedAt.IsZero() {
		n.CreatedAt = s.Now().UTC()
	}
	err := s.DB.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(n).Error
	return dbconn.Translate(err, "add notification %s", n.Type)
}

// visible is the condition of the notifications shown: none of a blocked
// actor or domain (policy.HiddenActorIDs).
const visible = "actor_id NOT IN (" + policy.HiddenActorIDs + ")"

// Page returns the notifications q selects, leaving out those of blocked
// actors and domains.
func (s *NotificationStore) Page(ctx context.Context, q NotificationQuery) ([]Notification, error) {
	db := s.DB.WithContext(ctx).Model(&Notification{}).Where(visible)
	if len(q.Types) > 0 {
		db = db.Where("type IN ?", q.Types)
	}
	if len(q.ExcludeTypes) > 0 {
		db = db.Where("type NOT IN ?", q.ExcludeTypes)
	}
	if q.MaxID != 0 {
		db = db.Where("id < ?", q.MaxID)
	}
	if q.SinceID != 0 {
		db = db.Where("id > ?", q.SinceID)
	}
	order := "id DESC"
	if q.MinID != 0 {
		db, order = db.Where("id > ?", q.MinID), "id ASC"
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 40
	}
	var out []Notification
	err := db.Order(order).Limit(limit).Find(&out).Error
	return out, dbconn.Translate(err, "list notifications")
}

// ByID returns a notification, or dbconn.ErrNotFound.
func (s *NotificationStore) ByID(ctx context.Context, id int64) (Notification, error) {
	var n Notification
	err := s.DB.WithContext(ctx).Where(visible).First(&n, id).Error
	return n, dbconn.Translate(err, "get notification %d", id)
}

// Dismiss removes a notification; dbconn.ErrNotFound if there is none.
func (s *NotificationStore) Dismiss(ctx context.Context, id int64) error {
	res := s.DB.WithContext(ctx).Delete(&Notification{}, id)
	if res.Error == nil && res.RowsAffected == 0 {
		return dbconn.Translate(dbconn.ErrNotFound, "dismiss notification %d", id)
	}
	return dbconn.Translate(res.Error, "dismiss notification %d", id)
}

// Clear removes every notification.
func (s *NotificationStore) Clear(ctx context.Context) error {
	return dbconn.Translate(s.DB.WithContext(ctx).Where("1 = 1").Delete(&Notification{}).Error, "clear notifications")
}

// Unread counts the notifications after id, as Page shows them.
func (s *NotificationStore) Unread(ctx context.Context, after int64) (int64, error) {
	var n int64
	err := s.DB.WithContext(ctx).Model(&Notification{}).Where(visible).Where("id > ?", after).Count(&n).Error
	return n, dbconn.Translate(err, "count notifications")
}
