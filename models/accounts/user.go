package accounts

import (
	"context"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// User is a member of staff who signs in to the node. Email is kept in
// lower case, so that it is unique whatever its case; PasswordHash is an
// Argon2id hash in its PHC string form.
type User struct {
	ID           int64  `gorm:"primaryKey"`
	Email        string `gorm:"uniqueIndex:idx_users_email;not null"`
	PasswordHash string `gorm:"not null"`
	Role         string `gorm:"not null"`
	DisabledAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// UserStore reads and writes users. Reach it as Store.Users.
type UserStore struct{ dbconn.Conn }

// FoldEmail is the form an email address is stored and looked up in.
func FoldEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Create stores u, its email folded; ErrConflict if a user has that email
// in any case.
func (s *UserStore) Create(ctx context.Context, u *User) error {
	u.Email = FoldEmail(u.Email)
	return dbconn.Translate(s.DB.WithContext(ctx).Create(u).Error, "create user %q", u.Email)
}

// ByEmail returns the user with the given email, in any case, disabled
// or not; ErrNotFound if there is none.
func (s *UserStore) ByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.DB.WithContext(ctx).Where("email = ?", FoldEmail(email)).First(&u).Error
	return u, dbconn.Translate(err, "get user %q", FoldEmail(email))
}

// ByID returns the user with the given ID; ErrNotFound if there is none.
func (s *UserStore) ByID(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.DB.WithContext(ctx).Where("id = ?", id).First(&u).Error
	return u, dbconn.Translate(err, "get user %d", id)
}

// List lists every user, disabled ones included, oldest first.
func (s *UserStore) List(ctx context.Context) ([]User, error) {
	var us []User
	return us, dbconn.Translate(s.DB.WithContext(ctx).Order("id").Find(&us).Error, "list users")
}

// SetPasswordHash replaces the password hash of the user with the given
// ID; ErrNotFound if there is none.
func (s *UserStore) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	return s.update(ctx, id, map[string]any{"password_hash": hash}, "set password of user %d")
}

// Disable marks the user with the given ID disabled, if it is not
// already; ErrNotFound if there is no such user.
func (s *UserStore) Disable(ctx context.Context, id int64) error {
	var u User
	if err := s.DB.WithContext(ctx).Where("id = ?", id).First(&u).Error; err != nil {
		return dbconn.Translate(err, "disable user %d", id)
	}
	if u.DisabledAt != nil {
		return nil
	}
	return s.update(ctx, id, map[string]any{"disabled_at": s.Now().UTC()}, "disable user %d")
}

func (s *UserStore) update(ctx context.Context, id int64, fields map[string]any, format string) error {
	fields["updated_at"] = s.Now().UTC()
	res := s.DB.WithContext(ctx).Model(&User{}).Where("id = ?", id).Updates(fields)
	if res.Error != nil {
		return dbconn.Translate(res.Error, format, id)
	}
	if res.RowsAffected == 0 {
		return dbconn.Translate(dbconn.ErrNotFound, format, id)
	}
	return nil
}
