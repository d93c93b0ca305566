package migrations

import (
	"time"

	"gorm.io/gorm"
)

func step003(tx *gorm.DB) error {
	type Follow struct {
		ID         int64  `gorm:"primaryKey"`
		ActivityID string `gorm:"uniqueIndex;not null"`
		ActorID    int64  `gorm:"not null;uniqueIndex:idx_follow_pair"`
		TargetID   int64  `gorm:"not null;uniqueIndex:idx_follow_pair;index"`
		Outbound   bool   `gorm:"not null;index"`
		State      string `gorm:"not null"`
		CreatedAt  time.Time
		UpdatedAt  time.Time
	}
	type Activity struct {
		ID          int64  `gorm:"primaryKey"`
		IRI         string `gorm:"uniqueIndex;not null"`
		Type        string `gorm:"not null"`
		ActorIRI    string `gorm:"not null;index"`
		Payload     string `gorm:"not null"`
		State       string `gorm:"not null;index"`
		Attempts    int
		Error       string
		ReceivedAt  time.Time `gorm:"not null"`
		ProcessedAt *time.Time
		LockedUntil *time.Time
	}
	type Reply struct {
		ID          int64  `gorm:"primaryKey"`
		IRI         string `gorm:"uniqueIndex;not null"`
		CaseStudyID int64  `gorm:"not null;index"`
		ActorID     int64  `gorm:"not null;index"`
		URL         string
		Content     string
		Summary     string
		Sensitive   bool
		Published   time.Time `gorm:"not null"`
		Updated     time.Time
		CreatedAt   time.Time
		UpdatedAt   time.Time
	}
	return tx.Migrator().CreateTable(&Follow{}, &Activity{}, &Reply{})
}
