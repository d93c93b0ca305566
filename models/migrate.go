package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// migration is one step of the schema. Each carries frozen copies of the
// structs it creates, so later changes to the live models never change what
// an old step does.
type migration struct {
	version int
	name    string
	up      func(tx *gorm.DB) error
}

// schemaMigration records an applied migration.
type schemaMigration struct {
	Version   int `gorm:"primaryKey;autoIncrement:false"`
	Name      string
	AppliedAt time.Time
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// migrations lists every step, in order. Append; never edit a released step.
var migrations = []migration{
	{1, "actors, case studies, tokens", migrate001},
	{2, "deliveries", migrate002},
	{3, "follows, received activities, replies", migrate003},
	{4, "processes and their heartbeats", migrate004},
	{5, "users, sessions, sign-in throttles", migrate005},
	{6, "oauth apps, codes and tokens", migrate006},
}

// Migrate applies the migrations not yet applied, each in its own
// transaction. It is safe to call on every start.
func (s *Store) Migrate(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	if err := db.AutoMigrate(&schemaMigration{}); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for _, m := range migrations {
		err := db.Transaction(func(tx *gorm.DB) error {
			if s.postgres {
				// Several processes may start at once on one database.
				if err := tx.Exec("SELECT pg_advisory_xact_lock(7411)").Error; err != nil {
					return err
				}
			}
			var n int64
			if err := tx.Model(&schemaMigration{}).Where("version = ?", m.version).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := m.up(tx); err != nil {
				return err
			}
			return tx.Create(&schemaMigration{Version: m.version, Name: m.name, AppliedAt: s.now().UTC()}).Error
		})
		if err != nil {
			return fmt.Errorf("store: migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

// Migrated reports whether every migration has been applied.
func (s *Store) Migrated(ctx context.Context) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&schemaMigration{}).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("store: check migrations: %w", err)
	}
	return n >= int64(len(migrations)), nil
}
