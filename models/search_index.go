package models

import (
	"gorm.io/gorm"

	"github.com/pollen-coop/pollen/models/casesearch"
)

// indexCaseStudy writes c's row of the full-text index in tx, or removes
// it when c is deleted or a draft. A case study created in tx (created)
// has no row to replace (casesearch.IndexNew); another's row is replaced
// (casesearch.Index).
func indexCaseStudy(tx *gorm.DB, c CaseStudy, created bool) error {
	d := casesearch.Doc{
		ID: c.ID, ActorID: c.ActorID, Live: c.DeletedAt == nil && !c.Draft,
		Title: c.Title, Summary: c.Summary, Content: c.Content, Body: c.Body,
		Outcomes: c.Outcomes, Lessons: c.Lessons, Tags: c.Tags,
	}
	if created {
		return casesearch.IndexNew(tx, []casesearch.Doc{d}, 1)
	}
	return casesearch.Index(tx, d)
}
