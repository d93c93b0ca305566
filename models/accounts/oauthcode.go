package accounts

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// OAuthCode is an authorisation code, waiting to be exchanged for a
// token: bound to its app, its user, the redirect URI and the PKCE
// challenge (the S256 of the verifier, "" without PKCE) of the request
// that made it. Only the SHA-256 of the code is kept.
type OAuthCode struct {
	ID          int64     `gorm:"primaryKey"`
	Hash        string    `gorm:"uniqueIndex:idx_oauth_codes_hash;not null"`
	AppID       int64     `gorm:"not null;index:idx_oauth_codes_app_id"`
	UserID      int64     `gorm:"not null;index:idx_oauth_codes_user_id"`
	RedirectURI string    `gorm:"not null"`
	Scopes      string    `gorm:"not null"`
	Challenge   string    `gorm:"not null;default:''"`
	ExpiresAt   time.Time `gorm:"not null;index:idx_oauth_codes_expires_at"`
	CreatedAt   time.Time
}

// TableName is the codes' table.
func (OAuthCode) TableName() string { return "oauth_codes" }

// OAuthCodeStore reads and writes authorisation codes. Reach it as
// Store.OAuthCodes.
type OAuthCodeStore struct{ dbconn.Conn }

// Create stores c; ErrConflict if its hash is taken.
func (s *OAuthCodeStore) Create(ctx context.Context, c *OAuthCode) error {
	return dbconn.Translate(s.DB.WithContext(ctx).Create(c).Error, "create code of app %d", c.AppID)
}

// ByHash returns the code with the given hash, expired or not;
// ErrNotFound if there is none (never made, or used).
func (s *OAuthCodeStore) ByHash(ctx context.Context, hash string) (OAuthCode, error) {
	var c OAuthCode
	err := s.DB.WithContext(ctx).Where("hash = ?", hash).First(&c).Error
	return c, dbconn.Translate(err, "get code")
}

// Use deletes the code with the given ID, so that it cannot be exchanged
// again; ErrNotFound if it is gone already (another exchange used it
// first). Call it in the transaction that stores the code's token.
func (s *OAuthCodeStore) Use(ctx context.Context, id int64) error {
	res := s.DB.WithContext(ctx).Where("id = ?", id).Delete(&OAuthCode{})
	if res.Error != nil {
		return dbconn.Translate(res.Error, "use code %d", id)
	}
	if res.RowsAffected == 0 {
		return dbconn.Translate(dbconn.ErrNotFound, "use code %d", id)
	}
	return nil
}

// Purge deletes the codes that expired before the given time and says
// how many.
func (s *OAuthCodeStore) Purge(ctx context.Context, before time.Time) (int64, error) {
	res := s.DB.WithContext(ctx).Where("expires_at < ?", before.UTC()).Delete(&OAuthCode{})
	return res.RowsAffected, dbconn.Translate(res.Error, "purge codes")
}
