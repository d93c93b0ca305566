package access

import (
	"context"
	"errors"
	"time"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// TokenRequest is what an app sends to /oauth/token.
type TokenRequest struct {
	GrantType    string
	ClientID     string
	ClientSecret string
	Code         string
	RedirectURI  string
	CodeVerifier string
	// Scope is read by client_credentials only ("" for read); a code's
	// token has the code's scopes.
	Scope string
}

// IssuedToken is an access token as the token endpoint gives it: shown
// once, only its hash is kept.
type IssuedToken struct {
	AccessToken string
	Scopes      Scopes
	CreatedAt   time.Time
}

// Exchange issues an access token for the grant r: authorization_code
// (the code, bound to its client, redirect URI and PKCE challenge, is
// used up in the transaction that stores the token) or
// client_credentials (a token of the app itself, with no user). It
// returns an *OAuthError: invalid_client for an unknown client or a wrong
// secret; invalid_grant for a code unknown, used, expired, another
// client's or another redirect URI's, or a PKCE verifier missing or
// wrong; invalid_scope; unsupported_grant_type; invalid_request for no
// grant type or no code. A refusal changes nothing. Otherwise it returns
// the store's error.
func (o *OAuth) Exchange(ctx context.Context, r TokenRequest) (IssuedToken, error) {
	if r.GrantType == "" {
		return IssuedToken{}, oauthErrorf(ErrInvalidRequest, "grant_type is missing")
	}
	if r.GrantType != "authorization_code" && r.GrantType != "client_credentials" {
		return IssuedToken{}, oauthErrorf(ErrUnsupportedGrantType, "the grant types supported are authorization_code and client_credentials")
	}
	app, err := o.client(ctx, r.ClientID, r.ClientSecret)
	if err != nil {
		return IssuedToken{}, err
	}
	if r.GrantType == "client_credentials" {
		return o.clientCredentials(ctx, app, r.Scope)
	}
	if r.Code == "" {
		return IssuedToken{}, oauthErrorf(ErrInvalidRequest, "code is missing")
	}
	code, err := o.store.OAuthCodes.ByHash(ctx, hashToken(r.Code))
	switch {
	case errors.Is(err, models.ErrNotFound):
		return IssuedToken{}, oauthErrorf(ErrInvalidGrant, "the code is not valid: it was used already, or never given")
	case err != nil:
		return IssuedToken{}, err
	case code.AppID != app.ID:
		return IssuedToken{}, oauthErrorf(ErrInvalidGrant, "the code was given to another client")
	case !o.now().Before(code.ExpiresAt):
		return IssuedToken{}, oauthErrorf(ErrInvalidGrant, "the code has expired: codes are valid for 10 minutes")
	case r.RedirectURI != "" && r.RedirectURI != code.RedirectURI:
		return IssuedToken{}, oauthErrorf(ErrInvalidGrant, "the redirect URI is not the one the code was given for")
	case code.Challenge != "" && r.CodeVerifier == "":
		return IssuedToken{}, oauthErrorf(ErrInvalidGrant, "the code needs its PKCE code_verifier")
	case code.Challenge != "" && !pkceMatches(code.Challenge, r.CodeVerifier):
		return IssuedToken{}, oauthErrorf(ErrInvalidGrant, "the PKCE code_verifier does not match the challenge")
	case code.Challenge == "" && r.CodeVerifier != "":
		return IssuedToken{}, oauthErrorf(ErrInvalidGrant, "the code was given without a PKCE challenge")
	}
	scopes, _ := ParseScopes(code.Scopes)
	userID := code.UserID
	var issued IssuedToken
	err = o.store.Atomically(ctx, func(tx *models.Store) error {
		if err := tx.OAuthCodes.Use(ctx, code.ID); err != nil {
			return err
		}
		issued, err = o.issue(ctx, tx, app.ID, &userID, scopes)
		return err
	})
	if errors.Is(err, models.ErrNotFound) {
		return IssuedToken{}, oauthErrorf(ErrInvalidGrant, "the code is not valid: it was used already")
	}
	return issued, err
}

// clientCredentials issues app a token of its own, with scope (read when
// empty), which must be within the app's scopes.
func (o *OAuth) clientCredentials(ctx context.Context, app models.OAuthApp, scope string) (IssuedToken, error) {
	scopes, err := ParseScopes(scope)
	if err != nil {
		return IssuedToken{}, err
	}
	if len(scopes) == 0 {
		scopes = Scopes{"read"}
	}
	if !scopes.Within(appView(app).Scopes) {
		return IssuedToken{}, oauthErrorf(ErrInvalidScope, "the app asks for more than the scopes it registered (%s)", app.Scopes)
	}
	return o.issue(ctx, o.store, app.ID, nil, scopes)
}

// issue stores a new token of the app, for userID (nil: the app's own).
func (o *OAuth) issue(ctx context.Context, s *models.Store, appID int64, userID *int64, scopes Scopes) (IssuedToken, error) {
	token := randomToken()
	row := models.OAuthToken{Hash: hashToken(token), AppID: appID, UserID: userID, Scopes: scopes.String()}
	if err := s.OAuthTokens.Create(ctx, &row); err != nil {
		return IssuedToken{}, err
	}
	return IssuedToken{AccessToken: token, Scopes: scopes, CreatedAt: row.CreatedAt}, nil
}

// Revoke revokes token when the app authenticated by clientID and secret
// holds it; a token unknown, revoked or another app's is ignored, as RFC
// 7009 asks. It returns an invalid_client *OAuthError for an unknown
// client or a wrong secret, or the store's error.
func (o *OAuth) Revoke(ctx context.Context, clientID, secret, token string) error {
	app, err := o.client(ctx, clientID, secret)
	if err != nil {
		return err
	}
	return o.store.OAuthTokens.RevokeOfApp(ctx, app.ID, hashToken(token))
}

// AccessToken is the bearer token of a request, once checked: its app,
// its user (nil for an app's own token or an admin token), its scopes.
// Admin is set for an admin token of `pollen token create`, which holds
// every scope.
type AccessToken struct {
	ID     int64
	App    string
	User   *User
	Scopes Scopes
	Admin  bool
}

// Authenticate checks a bearer token: an OAuth access token, or an admin
// token. It returns a 401 *apperr.Error when the token is missing,
// unknown, revoked, or its user is disabled; or the store's error.
func (o *OAuth) Authenticate(ctx context.Context, token string) (AccessToken, error) {
	if token == "" {
		return AccessToken{}, apperr.Errorf(apperr.Unauthorized, "this needs an access token: Authorization: Bearer TOKEN")
	}
	row, err := o.store.OAuthTokens.Active(ctx, hashToken(token))
	if err == nil {
		at := AccessToken{ID: row.Token.ID, App: row.App.Name}
		at.Scopes, _ = ParseScopes(row.Token.Scopes)
		if row.Token.UserID != nil {
			u := userView(row.User)
			at.User = &u
		}
		return at, nil
	}
	if !errors.Is(err, models.ErrNotFound) {
		return AccessToken{}, err
	}
	admin, err := o.store.Tokens.ByHash(ctx, hashToken(token))
	if errors.Is(err, models.ErrNotFound) {
		return AccessToken{}, apperr.Errorf(apperr.Unauthorized, "the access token is not valid or has been revoked")
	}
	if err != nil {
		return AccessToken{}, err
	}
	return AccessToken{ID: admin.ID, App: admin.Name, Scopes: Scopes{"read", "write", "follow", "push", "profile"}, Admin: true}, nil
}

// OAuthTokenInfo is an OAuth token as `pollen token list` shows it.
type OAuthTokenInfo struct {
	ID         int64
	App        string
	User       string
	Scopes     string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// ListOAuthTokens lists every OAuth token, revoked ones included, oldest
// first. It returns the store's error.
func (o *OAuth) ListOAuthTokens(ctx context.Context) ([]OAuthTokenInfo, error) {
	rows, err := o.store.OAuthTokens.List(ctx)
	out := make([]OAuthTokenInfo, len(rows))
	for i, r := range rows {
		out[i] = OAuthTokenInfo{ID: r.Token.ID, App: r.App.Name, User: r.User.Email, Scopes: r.Token.Scopes,
			CreatedAt: r.Token.CreatedAt, LastUsedAt: r.Token.LastUsedAt, RevokedAt: r.Token.RevokedAt}
	}
	return out, err
}

// RevokeOAuthToken revokes the OAuth token with the given ID. It returns
// a 404 *apperr.Error when there is no unrevoked token of that ID, or the
// store's error.
func (o *OAuth) RevokeOAuthToken(ctx context.Context, id int64) error {
	err := o.store.OAuthTokens.Revoke(ctx, id)
	if errors.Is(err, models.ErrNotFound) {
		return apperr.Errorf(apperr.NotFound, "there is no unrevoked OAuth token %d", id)
	}
	return err
}

// UserTokens lists the active OAuth tokens of the user with the given ID,
// oldest first, for the user to revoke. It returns the store's error.
func (o *OAuth) UserTokens(ctx context.Context, userID int64) ([]OAuthTokenInfo, error) {
	rows, err := o.store.OAuthTokens.OfUser(ctx, userID)
	out := make([]OAuthTokenInfo, len(rows))
	for i, r := range rows {
		out[i] = OAuthTokenInfo{ID: r.Token.ID, App: r.App.Name, Scopes: r.Token.Scopes, CreatedAt: r.Token.CreatedAt, LastUsedAt: r.Token.LastUsedAt}
	}
	return out, err
}

// RevokeUserToken revokes the OAuth token with the given ID of the user
// with the given ID. It returns a 404 *apperr.Error when the user holds
// no unrevoked token of that ID, or the store's error.
func (o *OAuth) RevokeUserToken(ctx context.Context, userID, id int64) error {
	err := o.store.OAuthTokens.RevokeOfUser(ctx, userID, id)
	if errors.Is(err, models.ErrNotFound) {
		return apperr.Errorf(apperr.NotFound, "you have no app with access of that number")
	}
	return err
}
