package access

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"sync"
	"time"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// Role is what a user may do. Every user acts as the organisation's actor.
type Role string

// The roles: an editor publishes and replies; an admin also follows,
// approves followers, and manages users and tokens.
const (
	RoleAdmin  Role = "admin"
	RoleEditor Role = "editor"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleEditor }

// User is a user account as the rest of the node sees it: never its
// password hash.
type User struct {
	ID        int64
	Email     string
	Role      Role
	Disabled  bool
	CreatedAt time.Time
}

func userView(u models.User) User {
	return User{ID: u.ID, Email: u.Email, Role: Role(u.Role), Disabled: u.DisabledAt != nil, CreatedAt: u.CreatedAt}
}

// Accounts manages the staff's user accounts, their sign-in and their
// sessions (session.go).
type Accounts struct {
	store *models.Store
	now   func() time.Time
	// dummyHash is the hash a sign-in with an unknown email is checked
	// against, so that it costs what a known one does.
	dummyHash func() (string, error)
}

// NewAccounts makes the user accounts kept in store; now is the clock
// (nil for time.Now), the store's own.
func NewAccounts(store *models.Store, now func() time.Time) *Accounts {
	if now == nil {
		now = time.Now
	}
	return &Accounts{store: store, now: now, dummyHash: sync.OnceValues(func() (string, error) {
		return hashPassword("not a password anyone has: the dummy of unknown emails")
	})}
}

// CreateUser makes a user with the given email, role and password. It
// returns a 422 *apperr.Error naming the fields that are wrong (an email
// that is not an address, an unknown role, a password too short, too long
// or too common), a 409 *apperr.Error when the email is taken in any
// case, or the store's error.
func (a *Accounts) CreateUser(ctx context.Context, email string, role Role, password string) (User, error) {
	bad := map[string]string{}
	if msg := checkEmail(email); msg != "" {
		bad["email"] = msg
	}
	if !role.Valid() {
		bad["role"] = "Role must be admin or editor"
	}
	if msg := checkPassword(password); msg != "" {
		bad["password"] = msg
	}
	if len(bad) > 0 {
		return User{}, apperr.InvalidFields(bad)
	}
	hash, err := hashPassword(password)
	if err != nil {
		return User{}, fmt.Errorf("accounts: hash password: %w", err)
	}
	u := models.User{Email: email, PasswordHash: hash, Role: string(role)}
	err = a.store.Users.Create(ctx, &u)
	if errors.Is(err, models.ErrConflict) {
		return User{}, apperr.Errorf(apperr.Conflict, "a user with the email %s exists already", models.FoldEmail(email))
	}
	if err != nil {
		return User{}, err
	}
	return userView(u), nil
}

// checkEmail says what is wrong with email as a user's address, or "".
func checkEmail(email string) string {
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || len(email) > 254 {
		return "Enter an email address in the correct format, like name@example.org"
	}
	return ""
}

// ListUsers lists every user, disabled ones included, oldest first. It
// returns the store's error.
func (a *Accounts) ListUsers(ctx context.Context) ([]User, error) {
	us, err := a.store.Users.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]User, len(us))
	for i, u := range us {
		out[i] = userView(u)
	}
	return out, nil
}

// SetPassword replaces the password of the user with the given email
// (disabled or not); the user's sessions stay. It returns a 422
// *apperr.Error for a password refused as CreateUser refuses it, a 404
// *apperr.Error for an unknown email, or the store's error.
func (a *Accounts) SetPassword(ctx context.Context, email, password string) error {
	if msg := checkPassword(password); msg != "" {
		return apperr.InvalidFields(map[string]string{"password": msg})
	}
	u, err := a.user(ctx, email)
	if err != nil {
		return err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return fmt.Errorf("accounts: hash password: %w", err)
	}
	return a.store.Users.SetPasswordHash(ctx, u.ID, hash)
}

// DisableUser disables the user with the given email and, in the same
// transaction, revokes every session and every OAuth token it has: it is
// signed out at once, its apps lose their access, and it cannot sign in
// again. Disabling a disabled user does nothing more. It returns a 404 *apperr.Error for an
// unknown email, or the store's error.
func (a *Accounts) DisableUser(ctx context.Context, email string) error {
	u, err := a.user(ctx, email)
	if err != nil {
		return err
	}
	return a.store.Atomically(ctx, func(tx *models.Store) error {
		if err := tx.Users.Disable(ctx, u.ID); err != nil {
			return err
		}
		if _, err := tx.Sessions.RevokeUser(ctx, u.ID); err != nil {
			return err
		}
		_, err := tx.OAuthTokens.RevokeUser(ctx, u.ID)
		return err
	})
}

// user finds the user with the given email: a 404 *apperr.Error if there
// is none.
func (a *Accounts) user(ctx context.Context, email string) (models.User, error) {
	u, err := a.store.Users.ByEmail(ctx, email)
	if errors.Is(err, models.ErrNotFound) {
		return u, apperr.Errorf(apperr.NotFound, "there is no user with the email %s", models.FoldEmail(email))
	}
	return u, err
}
