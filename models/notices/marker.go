package notices

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Marker is a user's read position in a timeline ("home" or
// "notifications"), with a version that grows with each change.
type Marker struct {
	UserID     int64  `gorm:"primaryKey;autoIncrement:false"`
	Timeline   string `gorm:"primaryKey"`
	LastReadID string `gorm:"not null"`
	Version    int64  `gorm:"not null"`
	UpdatedAt  time.Time
}

// IdempotencyKey ties a user's Idempotency-Key header to the status it
// posted, so that a retried post answers the same status.
type IdempotencyKey struct {
	UserID    int64     `gorm:"primaryKey;autoIncrement:false"`
	Key       string    `gorm:"primaryKey"`
	StatusID  int64     `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null;index:idx_idempotency_keys_created_at"`
}

// MarkerStore reads and writes the users' markers and idempotency keys.
// Reach it as Store.Markers.
type MarkerStore struct{ dbconn.Conn }

// Get returns the user's markers of the timelines that have one.
func (s *MarkerStore) Get(ctx context.Context, userID int64, timelines []string) ([]Marker, error) {
	var out []Marker
	err := s.DB.WithContext(ctx).Where("user_id = ? AND timeline IN ?", userID, timelines).Find(&out).Error
	return out, dbconn.Translate(err, "get markers")
}

// Set moves the user's marker of a timeline to lastRead, one version on,
// and returns it.
func (s *MarkerStore) Set(ctx context.Context, userID int64, timeline, lastRead string) (Marker, error) {
	m := Marker{UserID: userID, Timeline: timeline}
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		var old Marker
		err := tx.Where("user_id = ? AND timeline = ?", userID, timeline).First(&old).Error
		if err != nil && err != gorm.ErrRecordNotFound {
			return err
		}
		m = Marker{UserID: userID, Timeline: timeline, LastReadID: lastRead, Version: old.Version + 1, UpdatedAt: s.Now().UTC()}
		return tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&m).Error
	})
	return m, dbconn.Translate(err, "set marker %s", timeline)
}

// Remember records the status a user's key posted; it reports false,
// changing nothing, when the key was already used.
func (s *MarkerStore) Remember(ctx context.Context, k IdempotencyKey) (bool, error) {
	if k.CreatedAt.IsZero() {
		k.CreatedAt = s.Now().UTC()
	}
	res := s.DB.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&k)
	return res.RowsAffected > 0, dbconn.Translate(res.Error, "remember idempotency key")
}

// Recall returns the status id a user's key posted since the time, or
// dbconn.ErrNotFound.
func (s *MarkerStore) Recall(ctx context.Context, userID int64, key string, since time.Time) (int64, error) {
	var k IdempotencyKey
	err := s.DB.WithContext(ctx).Where("user_id = ? AND key = ? AND created_at >= ?", userID, key, since).First(&k).Error
	return k.StatusID, dbconn.Translate(err, "recall idempotency key")
}

// Forget removes the idempotency keys older than the time.
func (s *MarkerStore) Forget(ctx context.Context, before time.Time) error {
	err := s.DB.WithContext(ctx).Where("created_at < ?", before).Delete(&IdempotencyKey{}).Error
	return dbconn.Translate(err, "forget idempotency keys")
}
