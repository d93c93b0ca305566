package migrations

import (
	"time"

	"gorm.io/gorm"
)

// step021 keeps an activity's payload once, in delivery_payloads, rather
// than in each of its jobs: a fan-out to n inboxes wrote the same JSON n
// times, and read it back n times as it was claimed. The payload of each
// activity with jobs is moved there (from its latest job, as a job queued
// again kept its own), and the column is dropped.
func step021(tx *gorm.DB) error {
	type DeliveryPayload struct {
		ActivityID string    `gorm:"primaryKey"`
		Payload    []byte    `gorm:"not null"`
		QueuedAt   time.Time `gorm:"not null"`
	}
	if err := tx.Migrator().CreateTable(&DeliveryPayload{}); err != nil {
		return err
	}
	err := tx.Exec(`INSERT INTO delivery_payloads (activity_id, payload, queued_at)
		SELECT activity_id, payload, created_at FROM deliveries
		WHERE id IN (SELECT MAX(id) FROM deliveries GROUP BY activity_id)`).Error
	if err != nil {
		return err
	}
	// A plain statement: the SQLite migrator's DropColumn would ask the
	// pool for a connection of its own, and the one writer is this
	// transaction's.
	return tx.Exec(`ALTER TABLE deliveries DROP COLUMN payload`).Error
}
