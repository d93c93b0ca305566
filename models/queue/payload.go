package queue

import (
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// deliveryPayload is an activity's JSON, kept once for all its jobs.
type deliveryPayload struct {
	ActivityID string `gorm:"primaryKey"`
	Payload    []byte `gorm:"not null"`
	// QueuedAt is when jobs of the activity were last queued: the payload
	// outlives its last job by the time purged jobs are kept, so that a
	// purge never takes the payload of jobs being queued.
	QueuedAt time.Time `gorm:"not null"`
}

func (deliveryPayload) TableName() string { return "delivery_payloads" }

// keepPayload stores activityID's payload, or, if it is kept already,
// leaves it and marks it queued at now.
func keepPayload(tx *gorm.DB, activityID string, payload []byte, now time.Time) error {
	return tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "activity_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"queued_at"}),
	}).Create(&deliveryPayload{ActivityID: activityID, Payload: payload, QueuedAt: now}).Error
}

// withPayloads sets the Payload of each of ds, one query for all.
func withPayloads(db *gorm.DB, ds []Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	ids := make([]string, 0, 1)
	seen := map[string]bool{}
	for _, d := range ds {
		if !seen[d.ActivityID] {
			seen[d.ActivityID] = true
			ids = append(ids, d.ActivityID)
		}
	}
	var ps []deliveryPayload
	if err := db.Where("activity_id IN ?", ids).Find(&ps).Error; err != nil {
		return err
	}
	byID := make(map[string][]byte, len(ps))
	for _, p := range ps {
		byID[p.ActivityID] = p.Payload
	}
	for i := range ds {
		ds[i].Payload = byID[ds[i].ActivityID]
	}
	return nil
}

// purgePayloads deletes the payloads no job needs any more: queued before
// olderThan, and with no job left.
func purgePayloads(db *gorm.DB, olderThan time.Time) error {
	return db.Where("queued_at < ? AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.activity_id = delivery_payloads.activity_id)",
		dbconn.DBTime(olderThan)).Delete(&deliveryPayload{}).Error
}
