package models

import (
	"strings"

	"gorm.io/gorm"
)

// indexCaseStudies writes in tx the index rows of the live case studies
// of cs (drafts and deleted ones are left out), many rows an INSERT,
// with their authors' names read once for the batch.
func indexCaseStudies(tx *gorm.DB, cs []CaseStudy) error {
	ids := map[int64]bool{}
	for _, c := range cs {
		ids[c.ActorID] = true
	}
	actorIDs := make([]int64, 0, len(ids))
	for id := range ids {
		actorIDs = append(actorIDs, id)
	}
	var actors []struct {
		ID   int64
		Name string
	}
	for i := 0; i < len(actorIDs); i += 500 {
		var part []struct {
			ID   int64
			Name string
		}
		if err := tx.Model(&Actor{}).Select("id, name").Where("id IN ?", actorIDs[i:min(i+500, len(actorIDs))]).Scan(&part).Error; err != nil {
			return err
		}
		actors = append(actors, part...)
	}
	names := make(map[int64]string, len(actors))
	for _, a := range actors {
		names[a.ID] = a.Name
	}
	rows := make([]searchRow, 0, len(cs))
	for _, c := range cs {
		if c.DeletedAt != nil || c.Draft {
			continue
		}
		rows = append(rows, searchRow{
			CaseStudyID: c.ID, Title: c.Title, Summary: c.Summary, Body: c.Body,
			Outcomes: strings.Join(c.Outcomes, "\n"), Lessons: strings.Join(c.Lessons, "\n"),
			Tags: strings.Join(c.Tags, "\n"), Organisation: names[c.ActorID],
		})
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.CreateInBatches(&rows, batchSize*3).Error
}
