package access

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// Session lifetime and the throttling of failed sign-ins.
const (
	// SessionLifetime is how long a session lasts after sign-in.
	SessionLifetime = 12 * time.Hour
	// ThrottleWindow is the time over which failed sign-ins are counted;
	// a subject at its limit waits until its window ends.
	ThrottleWindow = 15 * time.Minute
	// AccountFailures is how many failed sign-ins one email may have in a
	// window, whether or not a user has it.
	AccountFailures = 5
	// AddressFailures is how many failed sign-ins one client address may
	// have in a window, whatever the emails.
	AddressFailures = 20
)

// ErrSignIn is the message of every refused sign-in, whatever was wrong:
// it never says whether a user has the email.
const ErrSignIn = "Enter a correct email address and password"

// sessionPrefix starts every session token.
const sessionPrefix = "pollen_session_"

// SignIn checks email and password, from the client address addr, and
// starts a session: it returns the session's token (to keep in a cookie;
// only its hash is stored) and the user. Failed sign-ins are counted per
// email and per address in the store, so that every process sees them;
// past AccountFailures or AddressFailures in ThrottleWindow, sign-in is
// refused until the window ends. It returns a 429 *apperr.Error with
// RetryAfter when throttled, a 401 *apperr.Error (ErrSignIn) for an
// unknown email, a wrong password or a disabled user alike, after the
// same work in each case, or the store's error.
func (a *Accounts) SignIn(ctx context.Context, email, password, addr string) (string, User, error) {
	subjects := []string{"account:" + models.FoldEmail(email)}
	if addr != "" {
		subjects = append(subjects, "address:"+addr)
	}
	if err := a.throttled(ctx, subjects); err != nil {
		return "", User{}, err
	}
	u, err := a.store.Users.ByEmail(ctx, email)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return "", User{}, err
	}
	hash := u.PasswordHash
	if err != nil {
		if hash, err = a.dummyHash(); err != nil {
			return "", User{}, fmt.Errorf("accounts: dummy hash: %w", err)
		}
	}
	if !matchPassword(password, hash) || u.ID == 0 || u.DisabledAt != nil {
		for _, s := range subjects {
			if _, err := a.store.Throttles.Fail(ctx, s, ThrottleWindow); err != nil {
				return "", User{}, err
			}
		}
		return "", User{}, apperr.Errorf(apperr.Unauthorized, ErrSignIn)
	}
	if err := a.store.Throttles.Clear(ctx, subjects[0]); err != nil {
		return "", User{}, err
	}
	if err := a.purge(ctx); err != nil {
		return "", User{}, err
	}
	token, err := a.startSession(ctx, u.ID)
	return token, userView(u), err
}

// throttled returns a 429 *apperr.Error when a subject has had its limit
// of failures in its window, with RetryAfter the time until the latest
// such window ends.
func (a *Accounts) throttled(ctx context.Context, subjects []string) error {
	now := a.now()
	var wait time.Duration
	for i, s := range subjects {
		t, err := a.store.Throttles.Get(ctx, s)
		if errors.Is(err, models.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		limit := AccountFailures
		if i > 0 {
			limit = AddressFailures
		}
		if left := t.WindowStart.Add(ThrottleWindow).Sub(now); t.Failures >= limit && left > wait {
			wait = left
		}
	}
	if wait <= 0 {
		return nil
	}
	e := apperr.Errorf(apperr.TooMany, "Too many failed sign-ins: wait %d minutes, then try again", int((wait+time.Minute-1)/time.Minute))
	e.RetryAfter = wait
	return e
}

// purge deletes, at each sign-in, the sessions that ended a day ago or
// more, the counts of failures whose window is over and the audit
// entries older than a year.
func (a *Accounts) purge(ctx context.Context) error {
	now := a.now()
	if _, err := a.store.Sessions.Purge(ctx, now.Add(-24*time.Hour)); err != nil {
		return err
	}
	if _, err := a.store.Throttles.Purge(ctx, now.Add(-ThrottleWindow)); err != nil {
		return err
	}
	_, err := a.store.Audit.Purge(ctx, now.Add(-models.AuditKeep))
	return err
}

// startSession stores a new session of the user and returns its token.
func (a *Accounts) startSession(ctx context.Context, userID int64) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := sessionPrefix + base64.RawURLEncoding.EncodeToString(raw)
	s := models.Session{Hash: hashToken(token), UserID: userID, ExpiresAt: a.now().Add(SessionLifetime)}
	return token, a.store.Sessions.Create(ctx, &s)
}

// Session returns the user signed in with the session token. It returns a
// 401 *apperr.Error when the token is empty, unknown, revoked or expired,
// or its user disabled, or the store's error.
func (a *Accounts) Session(ctx context.Context, token string) (User, error) {
	if token == "" {
		return User{}, apperr.Errorf(apperr.Unauthorized, "you are not signed in")
	}
	_, u, err := a.store.Sessions.Active(ctx, hashToken(token))
	if errors.Is(err, models.ErrNotFound) {
		return User{}, apperr.Errorf(apperr.Unauthorized, "your session has ended: sign in again")
	}
	if err != nil {
		return User{}, err
	}
	return userView(u), nil
}

// SignOut revokes the session with the token; an unknown or revoked one
// is left as it is. It returns the store's error.
func (a *Accounts) SignOut(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return a.store.Sessions.Revoke(ctx, hashToken(token))
}
