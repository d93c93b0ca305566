// Package profile holds the organisation's profile as the staff saved it
// in the admin area: one row, which, once there, the node shows instead
// of the configuration's first-run values.
package profile

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// Profile is the organisation's saved profile: the one row of the
// profiles table (ID 1).
type Profile struct {
	ID      int64  `gorm:"primaryKey;autoIncrement:false"`
	Name    string `gorm:"not null"`
	Summary string `gorm:"not null;default:''"`
	Website string `gorm:"not null;default:''"`
	Region  string `gorm:"not null;default:''"`
	OrgType string `gorm:"not null;default:''"`
	// IconURL is the icon's address, IconMediaType its type; both empty
	// for the node's default icon.
	IconURL       string `gorm:"not null;default:''"`
	IconMediaType string `gorm:"not null;default:''"`
	// Who saved it last, and when.
	Who       string `gorm:"not null;default:''"`
	UpdatedAt time.Time
}

// Store reads and writes the saved profile. Reach it as Store.Profile.
type Store struct{ dbconn.Conn }

// Get returns the saved profile, or an error wrapping dbconn.ErrNotFound
// while none has been saved.
func (s *Store) Get(ctx context.Context) (Profile, error) {
	var p Profile
	err := s.DB.WithContext(ctx).Where("id = ?", 1).First(&p).Error
	return p, dbconn.Translate(err, "get the profile")
}

// Save writes p as the saved profile (its ID is set to 1), replacing the
// one before, with UpdatedAt now.
func (s *Store) Save(ctx context.Context, p *Profile) error {
	p.ID, p.UpdatedAt = 1, s.Now().UTC()
	err := s.DB.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(p).Error
	return dbconn.Translate(err, "save the profile")
}
