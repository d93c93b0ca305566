package accounts

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// OAuthApp is a client application registered through the Mastodon API.
// Only the SHA-256 of its client secret is kept; RedirectURIs holds its
// redirect URIs one per line, Scopes the scopes it may ask for, separated
// by spaces.
type OAuthApp struct {
	ID           int64  `gorm:"primaryKey"`
	Name         string `gorm:"not null"`
	ClientID     string `gorm:"uniqueIndex:idx_oauth_apps_client_id;not null"`
	SecretHash   string `gorm:"not null"`
	RedirectURIs string `gorm:"not null"`
	Scopes       string `gorm:"not null"`
	Website      string `gorm:"not null;default:''"`
	CreatedAt    time.Time
}

// TableName is the apps' table.
func (OAuthApp) TableName() string { return "oauth_apps" }

// AppStore reads and writes OAuth apps. Reach it as Store.Apps.
type AppStore struct{ dbconn.Conn }

// Create stores a; ErrConflict if its client ID is taken.
func (s *AppStore) Create(ctx context.Context, a *OAuthApp) error {
	return dbconn.Translate(s.DB.WithContext(ctx).Create(a).Error, "create app %q", a.Name)
}

// ByClientID returns the app with the given client ID; ErrNotFound if
// there is none.
func (s *AppStore) ByClientID(ctx context.Context, clientID string) (OAuthApp, error) {
	var a OAuthApp
	err := s.DB.WithContext(ctx).Where("client_id = ?", clientID).First(&a).Error
	return a, dbconn.Translate(err, "get app")
}

// ByID returns the app with the given ID; ErrNotFound if there is none.
func (s *AppStore) ByID(ctx context.Context, id int64) (OAuthApp, error) {
	var a OAuthApp
	err := s.DB.WithContext(ctx).Where("id = ?", id).First(&a).Error
	return a, dbconn.Translate(err, "get app %d", id)
}
