package migrations

import "gorm.io/gorm"

// timelineIndexes008 are the indexes step008 creates: name, table and
// columns.
var timelineIndexes008 = [][3]string{
	// The public, tag and home timelines read the statuses that are not
	// deleted in status id order.
	{"idx_case_studies_live_status", "case_studies", "deleted_at, status_id"},
	{"idx_notes_live_status", "notes", "deleted_at, status_id"},
	// An account's statuses are read by author in status id order.
	{"idx_case_studies_actor_status", "case_studies", "actor_id, status_id"},
	{"idx_notes_actor_status", "notes", "actor_id, status_id"},
	{"idx_announces_actor_status", "announces", "actor_id, status_id"},
}

// step008 adds the indexes the timelines page by, so that a page is read
// from an index in order, with no sort of the table, at any depth.
func step008(tx *gorm.DB) error {
	for _, ix := range timelineIndexes008 {
		if err := tx.Exec("CREATE INDEX IF NOT EXISTS " + ix[0] + " ON " + ix[1] + " (" + ix[2] + ")").Error; err != nil {
			return err
		}
	}
	return nil
}
