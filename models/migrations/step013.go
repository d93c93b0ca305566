package migrations

import (
	"time"

	"gorm.io/gorm"
)

// note013 is the part of the notes table step013 changes: when a
// received note was hidden by the staff (NULL while it is shown), and
// the index the admin area reads received notes through, newest first.
type note013 struct {
	ID        int64     `gorm:"primaryKey"`
	Local     bool      `gorm:"index:idx_notes_received,priority:1"`
	Published time.Time `gorm:"index:idx_notes_received,priority:2"`
	HiddenAt  *time.Time
}

func (note013) TableName() string { return "notes" }

// step013 lets the staff hide a received note: hidden, it leaves the
// pages, the replies collections and the timelines, and is kept.
func step013(tx *gorm.DB) error {
	m := tx.Migrator()
	if err := m.AddColumn(&note013{}, "HiddenAt"); err != nil {
		return err
	}
	return m.CreateIndex(&note013{}, "idx_notes_received")
}
