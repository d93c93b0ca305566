package accounts

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// APIToken is an admin token. Only the SHA-256 of the token is kept.
type APIToken struct {
	ID         int64  `gorm:"primaryKey"`
	Name       string `gorm:"uniqueIndex;not null"`
	Hash       string `gorm:"uniqueIndex;not null"`
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// TokenStore reads and writes API tokens. Reach it as Store.Tokens.
type TokenStore struct{ dbconn.Conn }

// Create stores a token; ErrConflict if the name is taken.
func (s *TokenStore) Create(ctx context.Context, t *APIToken) error {
	return dbconn.Translate(s.DB.WithContext(ctx).Create(t).Error, "create token %q", t.Name)
}

// ByHash returns the unrevoked token with the given hash, or
// ErrNotFound, and records its use.
func (s *TokenStore) ByHash(ctx context.Context, hash string) (APIToken, error) {
	var t APIToken
	db := s.DB.WithContext(ctx)
	if err := db.Where("hash = ? AND revoked_at IS NULL", hash).First(&t).Error; err != nil {
		return t, dbconn.Translate(err, "get token")
	}
	now := s.Now().UTC()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if err := db.Model(&t).Update("last_used_at", now).Error; err != nil {
			return t, dbconn.Translate(err, "touch token %q", t.Name)
		}
	}
	return t, nil
}

// List lists every token, revoked ones included, oldest first.
func (s *TokenStore) List(ctx context.Context) ([]APIToken, error) {
	var ts []APIToken
	return ts, dbconn.Translate(s.DB.WithContext(ctx).Order("id").Find(&ts).Error, "list tokens")
}

// Revoke revokes the token with the given name; ErrNotFound if there is
// no unrevoked token of that name.
func (s *TokenStore) Revoke(ctx context.Context, name string) error {
	res := s.DB.WithContext(ctx).Model(&APIToken{}).
		Where("name = ? AND revoked_at IS NULL", name).
		Update("revoked_at", s.Now().UTC())
	if res.Error != nil {
		return dbconn.Translate(res.Error, "revoke token %q", name)
	}
	if res.RowsAffected == 0 {
		return dbconn.Translate(dbconn.ErrNotFound, "revoke token %q", name)
	}
	return nil
}
