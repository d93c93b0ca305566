package migrations

import (
	"time"

	"gorm.io/gorm"
)

// profile017 is the frozen shape of the organisation's profile as the
// staff save it: one row, ID 1.
type profile017 struct {
	ID            int64  `gorm:"primaryKey;autoIncrement:false"`
	Name          string `gorm:"not null"`
	Summary       string `gorm:"not null;default:''"`
	Website       string `gorm:"not null;default:''"`
	Region        string `gorm:"not null;default:''"`
	OrgType       string `gorm:"not null;default:''"`
	IconURL       string `gorm:"not null;default:''"`
	IconMediaType string `gorm:"not null;default:''"`
	Who           string `gorm:"not null;default:''"`
	UpdatedAt     time.Time
}

func (profile017) TableName() string { return "profiles" }

// step017 adds the organisation's saved profile.
func step017(tx *gorm.DB) error { return tx.Migrator().CreateTable(&profile017{}) }
