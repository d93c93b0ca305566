package models

import (
	"context"
	"time"
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
type TokenStore struct{ conn }

// Create stores a token; ErrConflict if the name is taken.
func (s *TokenStore) Create(ctx context.Context, t *APIToken) error {
	return translate(s.db.WithContext(ctx).Create(t).Error, "create token %q", t.Name)
}

// ByHash returns the unrevoked token with the given hash, or
// ErrNotFound, and records its use.
func (s *TokenStore) ByHash(ctx context.Context, hash string) (APIToken, error) {
	var t APIToken
	db := s.db.WithContext(ctx)
	if err := db.Where("hash = ? AND revoked_at IS NULL", hash).First(&t).Error; err != nil {
		return t, translate(err, "get token")
	}
	now := s.now().UTC()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if err := db.Model(&t).Update("last_used_at", now).Error; err != nil {
			return t, translate(err, "touch token %q", t.Name)
		}
	}
	return t, nil
}

// List lists every token, revoked ones included, oldest first.
func (s *TokenStore) List(ctx context.Context) ([]APIToken, error) {
	var ts []APIToken
	return ts, translate(s.db.WithContext(ctx).Order("id").Find(&ts).Error, "list tokens")
}

// Revoke revokes the token with the given name; ErrNotFound if there is
// no unrevoked token of that name.
func (s *TokenStore) Revoke(ctx context.Context, name string) error {
	res := s.db.WithContext(ctx).Model(&APIToken{}).
		Where("name = ? AND revoked_at IS NULL", name).
		Update("revoked_at", s.now().UTC())
	if res.Error != nil {
		return translate(res.Error, "revoke token %q", name)
	}
	if res.RowsAffected == 0 {
		return translate(ErrNotFound, "revoke token %q", name)
	}
	return nil
}
