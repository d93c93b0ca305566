package accounts

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// SignInThrottle counts the failed sign-ins of one subject (an account,
// or a client address) since WindowStart.
type SignInThrottle struct {
	Subject     string    `gorm:"primaryKey"`
	Failures    int       `gorm:"not null;default:0"`
	WindowStart time.Time `gorm:"not null"`
}

// ThrottleStore counts failed sign-ins, in the database so that every
// process on it, and a restarted one, sees the same counts. Reach it as
// Store.Throttles.
type ThrottleStore struct{ dbconn.Conn }

// Get returns the count of subject; ErrNotFound if it has none.
func (s *ThrottleStore) Get(ctx context.Context, subject string) (SignInThrottle, error) {
	var t SignInThrottle
	err := s.DB.WithContext(ctx).Where("subject = ?", subject).First(&t).Error
	return t, dbconn.Translate(err, "get sign-in count of %q", subject)
}

// Fail counts one more failure of subject, in one statement, and returns
// the count: a count whose window began window ago or earlier starts
// again at one, from now.
func (s *ThrottleStore) Fail(ctx context.Context, subject string, window time.Duration) (SignInThrottle, error) {
	now := s.Now().UTC().Truncate(time.Microsecond)
	stale := now.Add(-window)
	err := s.DB.WithContext(ctx).Exec(`INSERT INTO sign_in_throttles (subject, failures, window_start) VALUES (?, 1, ?)
ON CONFLICT (subject) DO UPDATE SET
  failures = CASE WHEN sign_in_throttles.window_start <= ? THEN 1 ELSE sign_in_throttles.failures + 1 END,
  window_start = CASE WHEN sign_in_throttles.window_start <= ? THEN excluded.window_start ELSE sign_in_throttles.window_start END`,
		subject, now, stale, stale).Error
	if err != nil {
		return SignInThrottle{}, dbconn.Translate(err, "count a failed sign-in of %q", subject)
	}
	return s.Get(ctx, subject)
}

// Clear forgets the failures of subject.
func (s *ThrottleStore) Clear(ctx context.Context, subject string) error {
	err := s.DB.WithContext(ctx).Where("subject = ?", subject).Delete(&SignInThrottle{}).Error
	return dbconn.Translate(err, "clear sign-in count of %q", subject)
}

// Purge deletes the counts whose window began before the given time and
// says how many.
func (s *ThrottleStore) Purge(ctx context.Context, before time.Time) (int64, error) {
	res := s.DB.WithContext(ctx).Where("window_start < ?", before.UTC()).Delete(&SignInThrottle{})
	return res.RowsAffected, dbconn.Translate(res.Error, "purge sign-in counts")
}
