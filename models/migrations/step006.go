package migrations

import (
	"time"

	"gorm.io/gorm"
)

// oauthApp006, oauthCode006 and oauthToken006 are the frozen shapes
// step006 creates.
type oauthApp006 struct {
	ID           int64  `gorm:"primaryKey"`
	Name         string `gorm:"not null"`
	ClientID     string `gorm:"uniqueIndex:idx_oauth_apps_client_id;not null"`
	SecretHash   string `gorm:"not null"`
	RedirectURIs string `gorm:"not null"`
	Scopes       string `gorm:"not null"`
	Website      string `gorm:"not null;default:''"`
	CreatedAt    time.Time
}

func (oauthApp006) TableName() string { return "oauth_apps" }

type oauthCode006 struct {
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

func (oauthCode006) TableName() string { return "oauth_codes" }

type oauthToken006 struct {
	ID         int64  `gorm:"primaryKey"`
	Hash       string `gorm:"uniqueIndex:idx_oauth_tokens_hash;not null"`
	AppID      int64  `gorm:"not null;index:idx_oauth_tokens_app_id"`
	UserID     *int64 `gorm:"index:idx_oauth_tokens_user_id"`
	Scopes     string `gorm:"not null"`
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

func (oauthToken006) TableName() string { return "oauth_tokens" }

// step006 adds the OAuth apps that Mastodon clients register, the
// authorisation codes they exchange and the access tokens they hold.
func step006(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&oauthApp006{}, &oauthCode006{}, &oauthToken006{})
}
