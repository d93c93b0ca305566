package migrations

import (
	"time"

	"gorm.io/gorm"
)

// federationRule014 is the frozen shape of the federation policy's rules
// step014 creates: a blocked domain, an allowed domain or a blocked actor.
type federationRule014 struct {
	ID int64 `gorm:"primaryKey"`
	// Kind is "block", "allow" or "block-actor".
	Kind string `gorm:"not null;uniqueIndex:idx_federation_rules_key,priority:1"`
	// Value is the domain's authority (host, with its port when given),
	// or the actor's IRI.
	Value     string    `gorm:"not null;uniqueIndex:idx_federation_rules_key,priority:2"`
	Reason    string    `gorm:"not null;default:''"`
	Who       string    `gorm:"not null;default:''"`
	CreatedAt time.Time `gorm:"not null"`
}

func (federationRule014) TableName() string { return "federation_rules" }

// step014 adds the federation policy's rules, and an index of actors by
// host, through which the blocked domains' content is left out of reads.
func step014(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&federationRule014{}); err != nil {
		return err
	}
	return tx.Exec("CREATE INDEX idx_actors_host ON actors (host)").Error
}
