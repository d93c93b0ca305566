package access

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/url"
	"slices"

	"github.com/pollen-coop/pollen/models"
)

// AuthorizeRequest is what an app asks for at /oauth/authorize.
type AuthorizeRequest struct {
	ClientID     string
	RedirectURI  string
	ResponseType string
	Scope        string
	State        string
	// CodeChallenge and CodeChallengeMethod are PKCE's (RFC 7636); only
	// S256 is accepted.
	CodeChallenge       string
	CodeChallengeMethod string
}

// Consent is an authorisation request that was checked: the app that
// asks, the scopes it asks for, and where to send the code.
type Consent struct {
	App         App
	Scopes      Scopes
	RedirectURI string
	State       string
	Challenge   string
}

// CheckAuthorize checks what an app asks for and returns what the user is
// to consent to. It returns an *OAuthError: invalid_client for an unknown
// client, invalid_request for a redirect URI the app did not register (or
// none, when it registered several) or a PKCE challenge that is not S256,
// unsupported_response_type for anything but code, invalid_scope for a
// scope unknown or beyond the app's; or the store's error.
func (o *OAuth) CheckAuthorize(ctx context.Context, r AuthorizeRequest) (Consent, error) {
	row, err := o.app(ctx, r.ClientID)
	if err != nil {
		return Consent{}, err
	}
	app := appView(row)
	redirect := r.RedirectURI
	if redirect == "" && len(app.RedirectURIs) == 1 {
		redirect = app.RedirectURIs[0]
	}
	if !slices.Contains(app.RedirectURIs, redirect) {
		return Consent{}, oauthErrorf(ErrInvalidRequest, "the redirect URI is not one this app registered")
	}
	if r.ResponseType != "code" {
		return Consent{}, oauthErrorf(ErrUnsupportedResponseType, "only the response type code is supported")
	}
	if r.CodeChallenge != "" || r.CodeChallengeMethod != "" {
		if r.CodeChallengeMethod != "S256" {
			return Consent{}, oauthErrorf(ErrInvalidRequest, "the PKCE challenge method must be S256 (plain is refused)")
		}
		if b, err := base64.RawURLEncoding.DecodeString(r.CodeChallenge); err != nil || len(b) != sha256.Size {
			return Consent{}, oauthErrorf(ErrInvalidRequest, "the PKCE challenge must be the base64url SHA-256 of the verifier")
		}
	}
	if len(r.State) > 2000 {
		return Consent{}, oauthErrorf(ErrInvalidRequest, "the state is longer than 2,000 bytes")
	}
	scopes, err := ParseScopes(r.Scope)
	if err != nil {
		return Consent{}, err
	}
	if len(scopes) == 0 {
		scopes = Scopes{"read"}
	}
	if !scopes.Within(app.Scopes) {
		return Consent{}, oauthErrorf(ErrInvalidScope, "the app asks for more than the scopes it registered (%s)", app.Scopes)
	}
	return Consent{App: app, Scopes: scopes, RedirectURI: redirect, State: r.State, Challenge: r.CodeChallenge}, nil
}

// Grant records that the user with the given ID authorised what c asks
// and returns the code to give the app, valid for CodeLifetime, once.
// It returns the store's error.
func (o *OAuth) Grant(ctx context.Context, c Consent, userID int64) (string, error) {
	code := randomToken()
	now := o.now()
	if _, err := o.store.OAuthCodes.Purge(ctx, now.Add(-CodeLifetime)); err != nil {
		return "", err
	}
	err := o.store.OAuthCodes.Create(ctx, &models.OAuthCode{
		Hash: hashToken(code), AppID: c.App.ID, UserID: userID, RedirectURI: c.RedirectURI,
		Scopes: c.Scopes.String(), Challenge: c.Challenge, ExpiresAt: now.Add(CodeLifetime).UTC(),
	})
	return code, err
}

// Redirect is where the browser goes once the user decided: the redirect
// URI with the code (or, when denied, the error access_denied) and the
// state; "" for out-of-band, where the code is shown instead.
func (c Consent) Redirect(code string, denied bool) string {
	if c.RedirectURI == OOB {
		return ""
	}
	u, err := url.Parse(c.RedirectURI)
	if err != nil {
		return ""
	}
	q := u.Query()
	if denied {
		q.Set("error", ErrAccessDenied)
		q.Set("error_description", "the user denied the request")
	} else {
		q.Set("code", code)
	}
	if c.State != "" {
		q.Set("state", c.State)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// pkceMatches reports whether verifier is the one whose S256 challenge is
// challenge.
func pkceMatches(challenge, verifier string) bool {
	sum := sha256.Sum256([]byte(verifier))
	got := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(got), []byte(challenge)) == 1
}
