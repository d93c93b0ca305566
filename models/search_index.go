package models

import (
	"gorm.io/gorm"

	"github.com/pollen-coop/pollen/models/casesearch"
)

// indexCaseStudy writes c's row of the full-text index (casesearch.Index)
// in tx, or removes it when c is deleted or a draft.
func indexCaseStudy(tx *gorm.DB, c CaseStudy) error {
	return casesearch.Index(tx, casesearch.Doc{
		ID: c.ID, ActorID: c.ActorID, Live: c.DeletedAt == nil && !c.Draft,
		Title: c.Title, Summary: c.Summary, Content: c.Content, Body: c.Body,
		Outcomes: c.Outcomes, Lessons: c.Lessons, Tags: c.Tags,
	})
}
