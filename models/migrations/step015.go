package migrations

import "gorm.io/gorm"

// step015 makes PostgreSQL's GIN index of the search apply each change
// at once (fastupdate off) and empties its pending list: with
// fastupdate, the rows written since the last vacuum wait in a list
// (up to gin_pending_list_limit, 4 MB) that every search reads through
// in full, about 70 ms a search on a million case studies, however
// rare its words. A write then costs a little more; a search no more
// than its matches. Nothing changes on SQLite, whose FTS5 index merges
// its segments as it goes.
func step015(tx *gorm.DB) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	if err := tx.Exec(`ALTER INDEX idx_case_study_search_document SET (fastupdate = off)`).Error; err != nil {
		return err
	}
	return tx.Exec(`SELECT gin_clean_pending_list('idx_case_study_search_document'::regclass)`).Error
}
