package models

import (
	"gorm.io/gorm"

	"github.com/pollen-coop/pollen/models/casesearch"
	"github.com/pollen-coop/pollen/models/dbconn"
)

// indexCaseStudies writes in tx the index rows of the live case studies
// of cs (drafts and deleted ones are left out), many rows an INSERT
// (casesearch.IndexNew).
func indexCaseStudies(tx *gorm.DB, cs []CaseStudy) error {
	docs := make([]casesearch.Doc, 0, len(cs))
	for _, c := range cs {
		docs = append(docs, casesearch.Doc{
			ID: c.ID, ActorID: c.ActorID, Live: c.DeletedAt == nil && !c.Draft,
			Title: c.Title, Summary: c.Summary, Content: c.Content, Body: c.Body,
			Outcomes: c.Outcomes, Lessons: c.Lessons, Tags: c.Tags,
		})
	}
	return casesearch.IndexNew(tx, docs, dbconn.RowsPerInsert(tx, 8))
}
