package migrations

import (
	"time"

	"gorm.io/gorm"
)

// step002 creates the delivery queue: one row per activity and
// destination inbox.
func step002(tx *gorm.DB) error {
	type Delivery struct {
		ID            int64     `gorm:"primaryKey"`
		ActivityID    string    `gorm:"not null;uniqueIndex:idx_delivery_activity_inbox,priority:1"`
		Inbox         string    `gorm:"not null;uniqueIndex:idx_delivery_activity_inbox,priority:2;index"`
		Host          string    `gorm:"not null;index"`
		SignerActorID int64     `gorm:"not null"`
		Payload       []byte    `gorm:"not null"`
		State         string    `gorm:"not null;index:idx_delivery_due,priority:1"`
		Attempts      int       `gorm:"not null;default:0"`
		NextAttemptAt time.Time `gorm:"not null;index:idx_delivery_due,priority:2"`
		LockedBy      string    `gorm:"not null;default:''"`
		LockedUntil   *time.Time
		LastStatus    int    `gorm:"not null;default:0"`
		LastError     string `gorm:"not null;default:''"`
		CreatedAt     time.Time
		UpdatedAt     time.Time `gorm:"index"`
		DeliveredAt   *time.Time
	}
	return tx.Migrator().CreateTable(&Delivery{})
}
