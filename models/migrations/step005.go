package migrations

import (
	"time"

	"gorm.io/gorm"
)

// user005, session005 and throttle005 are the frozen shapes step005
// creates.
type user005 struct {
	ID           int64  `gorm:"primaryKey"`
	Email        string `gorm:"uniqueIndex:idx_users_email;not null"`
	PasswordHash string `gorm:"not null"`
	Role         string `gorm:"not null"`
	DisabledAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (user005) TableName() string { return "users" }

type session005 struct {
	ID         int64     `gorm:"primaryKey"`
	Hash       string    `gorm:"uniqueIndex:idx_sessions_hash;not null"`
	UserID     int64     `gorm:"not null;index:idx_sessions_user_id"`
	CreatedAt  time.Time `gorm:"not null"`
	LastSeenAt time.Time `gorm:"not null"`
	ExpiresAt  time.Time `gorm:"not null;index:idx_sessions_expires_at"`
	RevokedAt  *time.Time
}

func (session005) TableName() string { return "sessions" }

type throttle005 struct {
	Subject     string    `gorm:"primaryKey"`
	Failures    int       `gorm:"not null;default:0"`
	WindowStart time.Time `gorm:"not null"`
}

func (throttle005) TableName() string { return "sign_in_throttles" }

// step005 adds the staff's user accounts, their sign-in sessions and
// the counts of failed sign-ins that throttle them.
func step005(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&user005{}, &session005{}, &throttle005{})
}
