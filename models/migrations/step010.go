package migrations

import (
	"time"

	"gorm.io/gorm"
)

// auditEntry010 is the frozen shape of the audit log step010 creates.
type auditEntry010 struct {
	ID int64 `gorm:"primaryKey"`
	// UserID is the signed-in user who acted, 0 for an admin token or
	// the command line; Who names them ("a@example.org", "admin token",
	// "command line").
	UserID int64  `gorm:"not null;default:0"`
	Who    string `gorm:"not null"`
	Action string `gorm:"not null"`
	// Target is what was acted on (a case study's slug), and Title what
	// it was called then.
	Target string    `gorm:"not null;default:''"`
	Title  string    `gorm:"not null;default:''"`
	At     time.Time `gorm:"not null;index:idx_audit_entries_at"`
}

func (auditEntry010) TableName() string { return "audit_entries" }

// step010 adds the drafts of case studies (a draft is neither public nor
// federated) and the audit log of the staff's changes.
func step010(tx *gorm.DB) error {
	if err := tx.Exec("ALTER TABLE case_studies ADD COLUMN draft BOOLEAN NOT NULL DEFAULT false").Error; err != nil {
		return err
	}
	return tx.Migrator().CreateTable(&auditEntry010{})
}
