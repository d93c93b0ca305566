package accounts

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// Session is a user's signed-in session in a browser. Only the SHA-256 of
// its token is kept.
type Session struct {
	ID         int64     `gorm:"primaryKey"`
	Hash       string    `gorm:"uniqueIndex:idx_sessions_hash;not null"`
	UserID     int64     `gorm:"not null;index:idx_sessions_user_id"`
	CreatedAt  time.Time `gorm:"not null"`
	LastSeenAt time.Time `gorm:"not null"`
	ExpiresAt  time.Time `gorm:"not null;index:idx_sessions_expires_at"`
	RevokedAt  *time.Time
}

// SessionStore reads and writes sessions. Reach it as Store.Sessions.
type SessionStore struct{ dbconn.Conn }

// touchEvery is how stale a session's last-seen time may get before a
// lookup writes it again.
const touchEvery = time.Minute

// Create stores a session; its created and last-seen times are now.
// ErrConflict if the hash is taken.
func (s *SessionStore) Create(ctx context.Context, sess *Session) error {
	now := s.Now().UTC()
	sess.CreatedAt, sess.LastSeenAt = now, now
	return dbconn.Translate(s.DB.WithContext(ctx).Create(sess).Error, "create session of user %d", sess.UserID)
}

// Active returns the session with the given hash and its user, when the
// session is neither revoked nor expired and its user is not disabled,
// and records that it was seen; ErrNotFound otherwise.
func (s *SessionStore) Active(ctx context.Context, hash string) (Session, User, error) {
	var sess Session
	var u User
	db := s.DB.WithContext(ctx)
	now := s.Now().UTC()
	err := db.Where("hash = ? AND revoked_at IS NULL AND expires_at > ?", hash, now).First(&sess).Error
	if err != nil {
		return sess, u, dbconn.Translate(err, "get session")
	}
	if err := db.Where("id = ? AND disabled_at IS NULL", sess.UserID).First(&u).Error; err != nil {
		return sess, u, dbconn.Translate(err, "get user of session %d", sess.ID)
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		if err := db.Model(&sess).Update("last_seen_at", now).Error; err != nil {
			return sess, u, dbconn.Translate(err, "touch session %d", sess.ID)
		}
	}
	return sess, u, nil
}

// Revoke revokes the session with the given hash; revoking one already
// revoked, or unknown, does nothing.
func (s *SessionStore) Revoke(ctx context.Context, hash string) error {
	err := s.DB.WithContext(ctx).Model(&Session{}).Where("hash = ? AND revoked_at IS NULL", hash).
		Update("revoked_at", s.Now().UTC()).Error
	return dbconn.Translate(err, "revoke session")
}

// RevokeUser revokes every session of the user with the given ID and
// says how many were revoked.
func (s *SessionStore) RevokeUser(ctx context.Context, userID int64) (int64, error) {
	res := s.DB.WithContext(ctx).Model(&Session{}).Where("user_id = ? AND revoked_at IS NULL", userID).
		Update("revoked_at", s.Now().UTC())
	return res.RowsAffected, dbconn.Translate(res.Error, "revoke sessions of user %d", userID)
}

// Purge deletes the sessions that expired or were revoked before the
// given time and says how many.
func (s *SessionStore) Purge(ctx context.Context, before time.Time) (int64, error) {
	res := s.DB.WithContext(ctx).Where("expires_at < ? OR revoked_at < ?", before.UTC(), before.UTC()).Delete(&Session{})
	return res.RowsAffected, dbconn.Translate(res.Error, "purge sessions")
}
