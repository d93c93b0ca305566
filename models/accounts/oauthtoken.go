package accounts

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// OAuthToken is an access token an app holds, for a user (UserID) or for
// itself (client credentials: UserID nil), with the scopes granted,
// separated by spaces. Only the SHA-256 of the token is kept.
type OAuthToken struct {
	ID         int64  `gorm:"primaryKey"`
	Hash       string `gorm:"uniqueIndex:idx_oauth_tokens_hash;not null"`
	AppID      int64  `gorm:"not null;index:idx_oauth_tokens_app_id"`
	UserID     *int64 `gorm:"index:idx_oauth_tokens_user_id"`
	Scopes     string `gorm:"not null"`
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// TableName is the tokens' table.
func (OAuthToken) TableName() string { return "oauth_tokens" }

// OAuthTokenStore reads and writes OAuth access tokens. Reach it as
// Store.OAuthTokens.
type OAuthTokenStore struct{ dbconn.Conn }

// OAuthTokenRow is a token with its app and, for a user's token, its
// user, as listed and looked up.
type OAuthTokenRow struct {
	Token OAuthToken
	App   OAuthApp
	// User is the token's user; its ID is 0 for an app's own token.
	User User
}

// Create stores t; ErrConflict if its hash is taken.
func (s *OAuthTokenStore) Create(ctx context.Context, t *OAuthToken) error {
	return dbconn.Translate(s.DB.WithContext(ctx).Create(t).Error, "create token of app %d", t.AppID)
}

// Active returns the unrevoked token with the given hash, its app and
// its user, and records its use; ErrNotFound when there is no such token,
// or its user is disabled.
func (s *OAuthTokenStore) Active(ctx context.Context, hash string) (OAuthTokenRow, error) {
	var r OAuthTokenRow
	db := s.DB.WithContext(ctx)
	if err := db.Where("hash = ? AND revoked_at IS NULL", hash).First(&r.Token).Error; err != nil {
		return r, dbconn.Translate(err, "get oauth token")
	}
	if err := db.Where("id = ?", r.Token.AppID).First(&r.App).Error; err != nil {
		return r, dbconn.Translate(err, "get app of oauth token %d", r.Token.ID)
	}
	if r.Token.UserID != nil {
		if err := db.Where("id = ? AND disabled_at IS NULL", *r.Token.UserID).First(&r.User).Error; err != nil {
			return r, dbconn.Translate(err, "get user of oauth token %d", r.Token.ID)
		}
	}
	now := s.Now().UTC()
	if t := r.Token.LastUsedAt; t == nil || now.Sub(*t) > touchEvery {
		if err := db.Model(&r.Token).Update("last_used_at", now).Error; err != nil {
			return r, dbconn.Translate(err, "touch oauth token %d", r.Token.ID)
		}
	}
	return r, nil
}

// List lists every token, revoked ones included, with its app and user,
// oldest first.
func (s *OAuthTokenStore) List(ctx context.Context) ([]OAuthTokenRow, error) {
	db := s.DB.WithContext(ctx)
	var ts []OAuthToken
	if err := db.Order("id").Find(&ts).Error; err != nil {
		return nil, dbconn.Translate(err, "list oauth tokens")
	}
	var apps []OAuthApp
	var users []User
	if err := db.Find(&apps).Error; err != nil {
		return nil, dbconn.Translate(err, "list apps")
	}
	if err := db.Find(&users).Error; err != nil {
		return nil, dbconn.Translate(err, "list users")
	}
	appByID, userByID := map[int64]OAuthApp{}, map[int64]User{}
	for _, a := range apps {
		appByID[a.ID] = a
	}
	for _, u := range users {
		userByID[u.ID] = u
	}
	rows := make([]OAuthTokenRow, len(ts))
	for i, t := range ts {
		rows[i] = OAuthTokenRow{Token: t, App: appByID[t.AppID]}
		if t.UserID != nil {
			rows[i].User = userByID[*t.UserID]
		}
	}
	return rows, nil
}

// Revoke revokes the unrevoked token with the given ID; ErrNotFound if
// there is none.
func (s *OAuthTokenStore) Revoke(ctx context.Context, id int64) error {
	res := s.DB.WithContext(ctx).Model(&OAuthToken{}).Where("id = ? AND revoked_at IS NULL", id).
		Update("revoked_at", s.Now().UTC())
	if res.Error != nil {
		return dbconn.Translate(res.Error, "revoke oauth token %d", id)
	}
	if res.RowsAffected == 0 {
		return dbconn.Translate(dbconn.ErrNotFound, "revoke oauth token %d", id)
	}
	return nil
}

// RevokeOfApp revokes the token with the given hash when the app with
// the given ID holds it; a token unknown, revoked already or another
// app's is left as it is, and says nothing (RFC 7009).
func (s *OAuthTokenStore) RevokeOfApp(ctx context.Context, appID int64, hash string) error {
	err := s.DB.WithContext(ctx).Model(&OAuthToken{}).Where("hash = ? AND app_id = ? AND revoked_at IS NULL", hash, appID).
		Update("revoked_at", s.Now().UTC()).Error
	return dbconn.Translate(err, "revoke oauth token of app %d", appID)
}

// RevokeUser revokes every token of the user with the given ID and says
// how many were revoked.
func (s *OAuthTokenStore) RevokeUser(ctx context.Context, userID int64) (int64, error) {
	res := s.DB.WithContext(ctx).Model(&OAuthToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).
		Update("revoked_at", s.Now().UTC())
	return res.RowsAffected, dbconn.Translate(res.Error, "revoke oauth tokens of user %d", userID)
}

// OfUser lists the unrevoked tokens of the user with the given ID, with
// their apps, oldest first.
func (s *OAuthTokenStore) OfUser(ctx context.Context, userID int64) ([]OAuthTokenRow, error) {
	db := s.DB.WithContext(ctx)
	var ts []OAuthToken
	if err := db.Where("user_id = ? AND revoked_at IS NULL", userID).Order("id").Find(&ts).Error; err != nil {
		return nil, dbconn.Translate(err, "list oauth tokens of user %d", userID)
	}
	rows := make([]OAuthTokenRow, len(ts))
	for i, t := range ts {
		rows[i].Token = t
		if err := db.Where("id = ?", t.AppID).First(&rows[i].App).Error; err != nil {
			return nil, dbconn.Translate(err, "get app of oauth token %d", t.ID)
		}
	}
	return rows, nil
}

// RevokeOfUser revokes the unrevoked token with the given ID when the
// user with the given ID holds it; ErrNotFound otherwise.
func (s *OAuthTokenStore) RevokeOfUser(ctx context.Context, userID, id int64) error {
	res := s.DB.WithContext(ctx).Model(&OAuthToken{}).Where("id = ? AND user_id = ? AND revoked_at IS NULL", id, userID).
		Update("revoked_at", s.Now().UTC())
	if res.Error != nil {
		return dbconn.Translate(res.Error, "revoke oauth token %d of user %d", id, userID)
	}
	if res.RowsAffected == 0 {
		return dbconn.Translate(dbconn.ErrNotFound, "revoke oauth token %d of user %d", id, userID)
	}
	return nil
}
