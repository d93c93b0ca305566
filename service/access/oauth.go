package access

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// OOB is the redirect URI of out-of-band authorisation: the code is shown
// on a page, for the user to copy into the app.
const OOB = "urn:ietf:wg:oauth:2.0:oob"

// CodeLifetime is how long an authorisation code may wait to be
// exchanged.
const CodeLifetime = 10 * time.Minute

// The error codes of RFC 6749 that OAuthError carries.
const (
	ErrInvalidRequest          = "invalid_request"
	ErrInvalidClient           = "invalid_client"
	ErrInvalidGrant            = "invalid_grant"
	ErrUnsupportedGrantType    = "unsupported_grant_type"
	ErrUnsupportedResponseType = "unsupported_response_type"
	ErrInvalidScope            = "invalid_scope"
	ErrAccessDenied            = "access_denied"
)

// OAuthError is a refusal of the OAuth protocol: an RFC 6749 error code
// (ErrInvalidClient, …) and a description safe to show the client. The
// surface decides its HTTP status.
type OAuthError struct {
	Code        string
	Description string
}

func (e *OAuthError) Error() string { return "oauth: " + e.Code + ": " + e.Description }

func oauthErrorf(code, format string, args ...any) *OAuthError {
	return &OAuthError{Code: code, Description: fmt.Sprintf(format, args...)}
}

// OAuth is the node's OAuth 2 authorisation server, as Mastodon clients
// speak it: the apps they register, the codes users grant them, the access
// tokens they exchange codes for, and the check of a bearer token.
type OAuth struct {
	store *models.Store
	now   func() time.Time
}

// NewOAuth makes the OAuth server kept in store; now is the clock (nil
// for time.Now), the store's own.
func NewOAuth(store *models.Store, now func() time.Time) *OAuth {
	if now == nil {
		now = time.Now
	}
	return &OAuth{store: store, now: now}
}

// AppInput is what a client sends to register: its name, its redirect
// URIs, the scopes it will ask for ("" for read) and its website.
type AppInput struct {
	Name         string
	RedirectURIs []string
	Scopes       string
	Website      string
}

// App is a registered app; ClientSecret is set only in the answer to its
// registration, since only its hash is kept.
type App struct {
	ID           int64
	Name         string
	ClientID     string
	ClientSecret string
	RedirectURIs []string
	Scopes       Scopes
	Website      string
}

func appView(a models.OAuthApp) App {
	scopes, _ := ParseScopes(a.Scopes)
	return App{ID: a.ID, Name: a.Name, ClientID: a.ClientID, RedirectURIs: strings.Split(a.RedirectURIs, "\n"), Scopes: scopes, Website: a.Website}
}

// CreateApp registers an app and returns it with its client secret. It
// returns a 422 *apperr.Error naming the fields that are wrong (a name
// missing or too long, no redirect URI, one that is not out-of-band,
// https, loopback http or a native app's scheme, a scope unknown, a
// website that is not http or https), or the store's error.
func (o *OAuth) CreateApp(ctx context.Context, in AppInput) (App, error) {
	bad := map[string]string{}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 200 {
		bad["client_name"] = "an app needs a name of 1 to 200 characters"
	}
	var uris []string
	for _, u := range in.RedirectURIs {
		uris = append(uris, strings.Fields(u)...)
	}
	if len(uris) == 0 || len(uris) > 10 {
		bad["redirect_uris"] = "an app needs 1 to 10 redirect URIs"
	}
	for _, u := range uris {
		if msg := checkRedirectURI(u); msg != "" {
			bad["redirect_uris"] = msg
			break
		}
	}
	if in.Scopes == "" {
		in.Scopes = "read"
	}
	scopes, err := ParseScopes(in.Scopes)
	if err != nil {
		bad["scopes"] = err.(*OAuthError).Description
	}
	in.Website = strings.TrimSpace(in.Website)
	if w, err := url.Parse(in.Website); in.Website != "" && (err != nil || (w.Scheme != "https" && w.Scheme != "http") || w.Host == "" || len(in.Website) > 2000) {
		bad["website"] = "the website must be an http or https URL"
	}
	if len(bad) > 0 {
		return App{}, apperr.InvalidFields(bad)
	}
	clientID, secret := randomToken(), randomToken()
	row := models.OAuthApp{
		Name: in.Name, ClientID: clientID, SecretHash: hashToken(secret),
		RedirectURIs: strings.Join(uris, "\n"), Scopes: scopes.String(), Website: in.Website,
	}
	if err := o.store.Apps.Create(ctx, &row); err != nil {
		return App{}, err
	}
	a := appView(row)
	a.ClientSecret = secret
	return a, nil
}

// checkRedirectURI says what is wrong with a redirect URI, or "" when it
// is out-of-band, https, http on a loopback address, or a native app's
// own scheme (oauth2redirect://…, com.example.app:/cb); never one with a
// fragment, nor a scheme a browser runs (javascript:, data:, …).
func checkRedirectURI(raw string) string {
	if raw == OOB {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || len(raw) > 2000 || u.Scheme == "" {
		return "a redirect URI must be an absolute URI"
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return "a redirect URI must not have a fragment"
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		if u.Host == "" {
			return "an https redirect URI needs a host"
		}
	case "http":
		if !loopback(u.Hostname()) {
			return "an http redirect URI must be on a loopback address (127.0.0.1, [::1], localhost); use https"
		}
	case "javascript", "data", "file", "vbscript", "about", "blob", "ftp", "ws", "wss":
		return "a redirect URI must be https, loopback http, out-of-band or a native app's scheme"
	}
	return ""
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// app finds the app of clientID: an invalid_client *OAuthError when
// there is none.
func (o *OAuth) app(ctx context.Context, clientID string) (models.OAuthApp, error) {
	a, err := o.store.Apps.ByClientID(ctx, clientID)
	if errors.Is(err, models.ErrNotFound) || clientID == "" {
		return a, oauthErrorf(ErrInvalidClient, "the client is not known: register it with POST /api/v1/apps")
	}
	return a, err
}

// client authenticates an app by its client ID and secret: an
// invalid_client *OAuthError for an unknown client or a wrong secret.
func (o *OAuth) client(ctx context.Context, clientID, secret string) (models.OAuthApp, error) {
	a, err := o.app(ctx, clientID)
	if err != nil {
		return a, err
	}
	if subtle.ConstantTimeCompare([]byte(hashToken(secret)), []byte(a.SecretHash)) != 1 {
		return a, oauthErrorf(ErrInvalidClient, "the client secret is not this client's")
	}
	return a, nil
}

// randomToken is 32 random bytes, base64url: client IDs, secrets, codes
// and tokens.
func randomToken() string {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		panic("service: no randomness: " + err.Error()) // crypto/rand never fails on Linux
	}
	return base64.RawURLEncoding.EncodeToString(raw)
}

// AppID is the ID of an app as Mastodon writes it: a string.
func (a App) AppID() string { return strconv.FormatInt(a.ID, 10) }

// AppName is the name of the app of clientID, for the sign-in page that
// an authorisation request leads to. It returns a 404 *apperr.Error for
// an unknown client, or the store's error.
func (o *OAuth) AppName(ctx context.Context, clientID string) (string, error) {
	a, err := o.store.Apps.ByClientID(ctx, clientID)
	if errors.Is(err, models.ErrNotFound) {
		return "", apperr.Errorf(apperr.NotFound, "there is no app of that client ID")
	}
	return a.Name, err
}
