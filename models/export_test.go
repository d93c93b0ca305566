package models

import (
	"gorm.io/gorm"

	"github.com/pollen-coop/pollen/models/migrations"
)

// Analyze refreshes the planner's statistics (ANALYZE), as PostgreSQL's
// autovacuum and SQLite's optimize do in a running node: a benchmark
// times plans of filled tables.
func (s *Store) Analyze() error { return s.db.Exec("ANALYZE").Error }

// RedoSearchIndex drops the full-text index and builds it again with
// step009, as a database migrated before it holds case studies.
func (s *Store) RedoSearchIndex() error {
	drop := []string{"DROP TABLE case_study_fts", "DROP TABLE case_study_search"}
	if s.postgres {
		drop = []string{"DROP TABLE case_study_search", "DROP TEXT SEARCH CONFIGURATION pollen_search"}
	}
	return s.db.Transaction(func(tx *gorm.DB) error {
		for _, d := range drop {
			if err := tx.Exec(d).Error; err != nil {
				return err
			}
		}
		return migrations.Steps[8].Up(tx)
	})
}

// RedoSearchFacets drops the search's facet and count tables and makes
// them again with step018, as a database migrated before it holds case
// studies.
func (s *Store) RedoSearchFacets() error {
	return s.db.Transaction(func(tx *gorm.DB) error {
		for _, d := range []string{"DROP TABLE case_study_facets", "DROP TABLE case_study_counts"} {
			if err := tx.Exec(d).Error; err != nil {
				return err
			}
		}
		for _, step := range migrations.Steps {
			if step.Version == 18 {
				return step.Up(tx)
			}
		}
		return nil
	})
}

// RunStep applies schema step version again, in a transaction.
func (s *Store) RunStep(version int) error {
	return s.db.Transaction(func(tx *gorm.DB) error { return migrations.Steps[version-1].Up(tx) })
}

// SetIndexedBody writes body as the indexed body of case study id, as an
// index filled before step011 holds it.
func (s *Store) SetIndexedBody(id int64, body string) error {
	return s.db.Exec("UPDATE case_study_search SET body = ? WHERE case_study_id = ?", body, id).Error
}

// SearchSegments is how many segments SQLite's full-text index has (0 on
// PostgreSQL).
func (s *Store) SearchSegments() (n int64, err error) {
	if s.postgres {
		return 0, nil
	}
	err = s.db.Raw("SELECT COUNT(DISTINCT segid) FROM case_study_fts_idx").Scan(&n).Error
	return n, err
}
