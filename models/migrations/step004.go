package migrations

import (
	"time"

	"gorm.io/gorm"
)

// process004 and activity004 are the frozen shapes step004 creates.
type process004 struct {
	ID          string `gorm:"primaryKey"`
	Host        string `gorm:"not null;default:''"`
	PID         int    `gorm:"not null;default:0"`
	StartedAt   time.Time
	HeartbeatAt time.Time `gorm:"not null;index:idx_processes_heartbeat_at"`
}

func (process004) TableName() string { return "processes" }

type activity004 struct {
	LockedBy string `gorm:"not null;default:''"`
}

func (activity004) TableName() string { return "activities" }

// step004 adds the processes that claim work, each with its heartbeat,
// and records which process holds a received activity.
func step004(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&process004{}); err != nil {
		return err
	}
	return tx.Migrator().AddColumn(&activity004{}, "LockedBy")
}
