package models

import (
	"context"

	"gorm.io/gorm"

	"github.com/pollen-coop/pollen/models/casesearch"
	"github.com/pollen-coop/pollen/models/dbconn"
)

// StatusBatch is statuses to insert at once, with their hashtags: a bulk
// import (a backfill, or the rows of a benchmark).
type StatusBatch struct {
	CaseStudies []CaseStudy
	Notes       []Note
}

// CreateStatuses inserts the case studies and notes of b, their
// hashtags and the live case studies' rows of the search index, in one
// transaction, many rows an INSERT; a status without a
// status id gets one (StatusID). It returns ErrConflict when an IRI or
// slug is taken, inserting nothing. On PostgreSQL it then analyses the
// tables, as a bulk load should.
func (s *Store) CreateStatuses(ctx context.Context, b StatusBatch) error {
	var tags []StatusTag
	for i := range b.CaseStudies {
		c := &b.CaseStudies[i]
		if c.StatusID == 0 {
			c.StatusID = StatusID(c.Published, c.IRI)
		}
		tags = appendTags(tags, c.StatusID, c.hashtags())
	}
	for i := range b.Notes {
		n := &b.Notes[i]
		if n.StatusID == 0 {
			n.StatusID = StatusID(n.Published, n.IRI)
		}
		tags = appendTags(tags, n.StatusID, n.Hashtags)
	}
	err := s.tx(ctx, func(tx *gorm.DB) error { return insertStatuses(tx, b, tags) })
	if err == nil && s.postgres {
		// Statistics of the new rows now, not when autovacuum gets to
		// them: without them the planner reads the first page of the
		// public timeline by a scan and a sort of every status.
		err = s.db.WithContext(ctx).Exec("ANALYZE case_studies, notes, status_tags, case_study_search, case_study_facets, case_study_counts").Error
		if err == nil {
			// Each batch updates most rows of the counts: their dead
			// versions made free for the next, not left for autovacuum
			// (a table a hundred times its live size, read whole by
			// every search without words).
			err = s.db.WithContext(ctx).Exec("VACUUM case_study_counts").Error
		}
	}
	return translate(err, "create %d case studies and %d notes", len(b.CaseStudies), len(b.Notes))
}

// CreateMany inserts received case studies, their hashtags, their rows
// of the search index and of the facet table, many rows an INSERT, in one transaction (in a
// transaction's store, in that one): what CreateStatuses does, without
// its statistics. A case study without a status id gets one. It returns
// ErrConflict when an IRI is taken, inserting nothing.
func (s *CaseStudyStore) CreateMany(ctx context.Context, cs []CaseStudy) error {
	var tags []StatusTag
	for i := range cs {
		c := &cs[i]
		if c.StatusID == 0 {
			c.StatusID = StatusID(c.Published, c.IRI)
		}
		tags = appendTags(tags, c.StatusID, c.hashtags())
	}
	err := s.tx(ctx, func(tx *gorm.DB) error { return insertStatuses(tx, StatusBatch{CaseStudies: cs}, tags) })
	return translate(err, "create %d case studies", len(cs))
}

// KnownIRIs returns which of iris are IRIs of stored case studies (of
// any state, drafts too), in one query. It returns the database's error.
func (s *CaseStudyStore) KnownIRIs(ctx context.Context, iris []string) (map[string]bool, error) {
	known := make(map[string]bool)
	for i := 0; i < len(iris); i += 500 {
		var found []string
		err := s.db.WithContext(ctx).Model(&CaseStudy{}).Where("iri IN ?", iris[i:min(i+500, len(iris))]).Pluck("iri", &found).Error
		if err != nil {
			return nil, translate(err, "look up %d case studies", len(iris))
		}
		for _, iri := range found {
			known[iri] = true
		}
	}
	return known, nil
}

// insertStatuses inserts in tx the statuses of b and the hashtag rows
// tags, many rows a statement, then the case studies' rows of the facet
// table and their counts.
func insertStatuses(tx *gorm.DB, b StatusBatch, tags []StatusTag) error {
	if len(b.CaseStudies) > 0 {
		if err := tx.CreateInBatches(&b.CaseStudies, dbconn.RowsPerInsert(tx, dbconn.Columns(tx, &CaseStudy{}))).Error; err != nil {
			return err
		}
		if err := indexCaseStudies(tx, b.CaseStudies); err != nil {
			return err
		}
	}
	if len(b.Notes) > 0 {
		if err := tx.CreateInBatches(&b.Notes, dbconn.RowsPerInsert(tx, dbconn.Columns(tx, &Note{}))).Error; err != nil {
			return err
		}
	}
	if len(tags) > 0 {
		if err := tx.CreateInBatches(&tags, dbconn.RowsPerInsert(tx, 3)).Error; err != nil {
			return err
		}
	}
	if len(b.CaseStudies) == 0 {
		return nil
	}
	ids := make([]int64, len(b.CaseStudies))
	for i, c := range b.CaseStudies {
		ids[i] = c.ID
	}
	return casesearch.Record(tx, ids)
}

// appendTags appends the hashtag rows of the status id, the keys of names
// each once.
func appendTags(rows []StatusTag, id int64, names []string) []StatusTag {
	seen := map[string]bool{}
	for _, n := range names {
		if k := HashtagKey(n); k != "" && !seen[k] {
			seen[k] = true
			rows = append(rows, StatusTag{Name: k, StatusID: id})
		}
	}
	return rows
}
