package models

import (
	"strings"

	"gorm.io/gorm"
)

// The full-text index of case studies (step009) is the table
// case_study_search: one row per live case study with its text, its
// lists as lines and its author's name, written in the transaction that
// writes the case study. On SQLite, triggers keep the FTS5 table
// case_study_fts in step with it; on PostgreSQL its tsvector column is
// generated from it.

// searchRow is a row of case_study_search.
type searchRow struct {
	CaseStudyID  int64 `gorm:"primaryKey;autoIncrement:false"`
	Title        string
	Summary      string
	Body         string
	Outcomes     string
	Lessons      string
	Tags         string
	Organisation string
}

func (searchRow) TableName() string { return "case_study_search" }

// indexCaseStudy writes c's row of the index in tx, or removes it when c
// is deleted. A case study created in tx (created) has no row to replace.
func indexCaseStudy(tx *gorm.DB, c CaseStudy, created bool) error {
	if !created {
		if err := tx.Where("case_study_id = ?", c.ID).Delete(&searchRow{}).Error; err != nil {
			return err
		}
	}
	if c.DeletedAt != nil || c.Draft {
		return nil // deleted and draft case studies are found by no search
	}
	var names []string
	if err := tx.Model(&Actor{}).Where("id = ?", c.ActorID).Pluck("name", &names).Error; err != nil {
		return err
	}
	row := searchRow{
		CaseStudyID: c.ID, Title: c.Title, Summary: c.Summary, Body: c.Body,
		Outcomes: strings.Join(c.Outcomes, "\n"), Lessons: strings.Join(c.Lessons, "\n"),
		Tags: strings.Join(c.Tags, "\n"),
	}
	if len(names) > 0 {
		row.Organisation = names[0]
	}
	return tx.Create(&row).Error
}

// unindexActor removes from the index the received case studies of the
// actor (those DeleteContentOf empties).
func unindexActor(tx *gorm.DB, actorID int64) error {
	return tx.Where("case_study_id IN (SELECT id FROM case_studies WHERE actor_id = ? AND local = ?)", actorID, false).
		Delete(&searchRow{}).Error
}

// renameInIndex sets the organisation name of the actor's case studies
// in the index, where it changed.
func renameInIndex(tx *gorm.DB, actorID int64, name string) error {
	return tx.Model(&searchRow{}).
		Where("organisation <> ? AND case_study_id IN (SELECT id FROM case_studies WHERE actor_id = ?)", name, actorID).
		Update("organisation", name).Error
}
