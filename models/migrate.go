package models

import (
	"context"
	"fmt"
	"time"

	"github.com/pollen-coop/pollen/models/migrations"
	"gorm.io/gorm"
)

// schemaMigration records an applied migration.
type schemaMigration struct {
	Version   int `gorm:"primaryKey;autoIncrement:false"`
	Name      string
	AppliedAt time.Time
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// Migrate applies the migrations not yet applied, each in its own
// transaction. It is safe to call on every start.
func (s *Store) Migrate(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	if err := db.AutoMigrate(&schemaMigration{}); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for _, m := range migrations.Steps {
		err := db.Transaction(func(tx *gorm.DB) error {
			if s.postgres {
				// Several processes may start at once on one database.
				if err := tx.Exec("SELECT pg_advisory_xact_lock(7411)").Error; err != nil {
					return err
				}
			}
			var n int64
			if err := tx.Model(&schemaMigration{}).Where("version = ?", m.Version).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := m.Up(tx); err != nil {
				return err
			}
			return tx.Create(&schemaMigration{Version: m.Version, Name: m.Name, AppliedAt: s.now().UTC()}).Error
		})
		if err != nil {
			return fmt.Errorf("store: migration %d (%s): %w", m.Version, m.Name, err)
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
	return n >= int64(len(migrations.Steps)), nil
}
