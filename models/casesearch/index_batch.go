package casesearch

import (
	"strings"

	"gorm.io/gorm"
)

// IndexNew writes in tx the index rows of the live documents of ds, new
// case studies with no row yet, batch rows an INSERT, with their authors'
// names read once for all. It returns the database's errors.
func IndexNew(tx *gorm.DB, ds []Doc, batch int) error {
	seen := map[int64]bool{}
	var actorIDs []int64
	for _, d := range ds {
		if d.Live && !seen[d.ActorID] {
			seen[d.ActorID] = true
			actorIDs = append(actorIDs, d.ActorID)
		}
	}
	names := make(map[int64]string, len(actorIDs))
	for i := 0; i < len(actorIDs); i += 500 {
		var part []struct {
			ID   int64
			Name string
		}
		if err := tx.Table("actors").Select("id, name").Where("id IN ?", actorIDs[i:min(i+500, len(actorIDs))]).Scan(&part).Error; err != nil {
			return err
		}
		for _, a := range part {
			names[a.ID] = a.Name
		}
	}
	rows := make([]indexRow, 0, len(ds))
	for _, d := range ds {
		if !d.Live {
			continue
		}
		row := indexRow{
			CaseStudyID: d.ID, Title: d.Title, Summary: d.Summary, Body: d.Body,
			Outcomes: strings.Join(d.Outcomes, "\n"), Lessons: strings.Join(d.Lessons, "\n"),
			Tags: strings.Join(d.Tags, "\n"), Organisation: names[d.ActorID],
		}
		if d.Content != "" {
			row.Body = PlainText(d.Content)
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.CreateInBatches(&rows, batch).Error
}
