package adminops

import (
	"context"
	"errors"
	"time"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/service/access"
)

// Users are the staff's accounts, the admin tokens and the apps
// authorised by OAuth, as an admin manages them: through access's
// Accounts and OAuth, each change recorded in the audit log.
type Users struct {
	accounts *access.Accounts
	oauth    *access.OAuth
	store    *models.Store
}

// NewUsers makes the management of the accounts and the tokens in store.
func NewUsers(accounts *access.Accounts, oauth *access.OAuth, store *models.Store) *Users {
	return &Users{accounts: accounts, oauth: oauth, store: store}
}

// TokenView is an admin token of the API: never the token itself.
type TokenView struct {
	Name                string
	CreatedAt           time.Time
	LastUsedAt, Revoked *time.Time
}

// Access is what the users page lists: the users, the admin tokens and
// the OAuth tokens of apps (revoked ones left out).
type Access struct {
	Users  []access.User
	Tokens []TokenView
	Apps   []access.OAuthTokenInfo
}

// List returns the users, the admin tokens and the apps' live tokens,
// oldest first, or the store's error.
func (u *Users) List(ctx context.Context) (Access, error) {
	var a Access
	var err error
	if a.Users, err = u.accounts.ListUsers(ctx); err != nil {
		return a, err
	}
	ts, err := u.store.Tokens.List(ctx)
	if err != nil {
		return a, err
	}
	for _, t := range ts {
		a.Tokens = append(a.Tokens, TokenView{Name: t.Name, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt, Revoked: t.RevokedAt})
	}
	apps, err := u.oauth.ListOAuthTokens(ctx)
	for _, t := range apps {
		if t.RevokedAt == nil {
			a.Apps = append(a.Apps, t)
		}
	}
	return a, err
}

// User returns the user with the row id: a not found error if there is
// none.
func (u *Users) User(ctx context.Context, id int64) (access.User, error) {
	us, err := u.accounts.ListUsers(ctx)
	if err != nil {
		return access.User{}, err
	}
	for _, x := range us {
		if x.ID == id {
			return x, nil
		}
	}
	return access.User{}, apperr.Errorf(apperr.NotFound, "there is no such user")
}

// Create makes a user, with the rules and errors of
// access.Accounts.CreateUser (a 422 *apperr.Error naming email, role or
// password; a 409 for an email taken).
func (u *Users) Create(ctx context.Context, email string, role access.Role, password string) (access.User, error) {
	v, err := u.accounts.CreateUser(ctx, email, role, password)
	if err != nil {
		return v, err
	}
	return v, record(ctx, u.store, CreatedUser, v.Email, "as "+string(v.Role))
}

// Disable disables the user id, ending its sessions and its apps'
// access. It returns a 422 *apperr.Error for the acting user itself, so
// that an admin cannot lock themself out, and a not found error for an
// unknown id.
func (u *Users) Disable(ctx context.Context, id int64) error {
	v, err := u.User(ctx, id)
	if err != nil {
		return err
	}
	if service.ActorOf(ctx).UserID == id {
		return apperr.Errorf(apperr.Unprocessable, "you cannot disable your own account: ask another admin")
	}
	if err := u.accounts.DisableUser(ctx, v.Email); err != nil {
		return err
	}
	return record(ctx, u.store, DisabledUser, v.Email, "")
}

// ResetPassword sets the password of the user id, with the rules of
// CreateUser (a 422 *apperr.Error naming password). It returns a not
// found error for an unknown id.
func (u *Users) ResetPassword(ctx context.Context, id int64, password string) error {
	v, err := u.User(ctx, id)
	if err != nil {
		return err
	}
	if err := u.accounts.SetPassword(ctx, v.Email, password); err != nil {
		return err
	}
	return record(ctx, u.store, ResetPassword, v.Email, "")
}

// RevokeToken revokes the admin token called name: a not found error if
// no live token has that name.
func (u *Users) RevokeToken(ctx context.Context, name string) error {
	err := u.store.Tokens.Revoke(ctx, name)
	if errors.Is(err, models.ErrNotFound) {
		return apperr.Errorf(apperr.NotFound, "there is no live admin token called %q", name)
	}
	if err != nil {
		return err
	}
	return record(ctx, u.store, RevokedToken, name, "")
}

// RevokeApp revokes the OAuth token id of an app: a not found error if
// there is no live token of that id.
func (u *Users) RevokeApp(ctx context.Context, id int64) error {
	var app, by string
	apps, err := u.oauth.ListOAuthTokens(ctx)
	if err != nil {
		return err
	}
	for _, t := range apps {
		if t.ID == id && t.User != "" {
			app, by = t.App, "authorised by "+t.User
		} else if t.ID == id {
			app = t.App
		}
	}
	if err := u.oauth.RevokeOAuthToken(ctx, id); err != nil {
		return err
	}
	return record(ctx, u.store, RevokedApp, app, by)
}
