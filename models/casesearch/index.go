package casesearch

import (
	"context"
	"strings"

	"github.com/pollen-coop/pollen/models/dbconn"
	"golang.org/x/net/html"
	"gorm.io/gorm"
)

// The index (step009's table case_study_search, refilled by step011) has
// one row per live case study with its text, its lists as lines and its
// author's name, written in the transaction that writes the case study.
// On SQLite, triggers keep the FTS5 table case_study_fts in step with it;
// on PostgreSQL its tsvector column is generated from it.

// indexRow is a row of case_study_search.
type indexRow struct {
	CaseStudyID  int64 `gorm:"primaryKey;autoIncrement:false"`
	Title        string
	Summary      string
	Body         string
	Outcomes     string
	Lessons      string
	Tags         string
	Organisation string
}

func (indexRow) TableName() string { return "case_study_search" }

// Doc is what the index reads of a case study.
type Doc struct {
	ID, ActorID int64
	// Live is false for a deleted case study or a draft: no search finds
	// them.
	Live           bool
	Title, Summary string
	// Content is the body as sanitised HTML; Body its Markdown source,
	// indexed only when there is no Content.
	Content, Body           string
	Outcomes, Lessons, Tags []string
}

// Index writes d's row of the index in tx, or removes it when d is not
// live. It returns the database's errors.
func Index(tx *gorm.DB, d Doc) error {
	if err := tx.Where("case_study_id = ?", d.ID).Delete(&indexRow{}).Error; err != nil {
		return err
	}
	if !d.Live {
		return nil
	}
	var names []string
	if err := tx.Table("actors").Where("id = ?", d.ActorID).Pluck("name", &names).Error; err != nil {
		return err
	}
	row := indexRow{
		CaseStudyID: d.ID, Title: d.Title, Summary: d.Summary, Body: d.Body,
		Outcomes: strings.Join(d.Outcomes, "\n"), Lessons: strings.Join(d.Lessons, "\n"),
		Tags: strings.Join(d.Tags, "\n"),
	}
	if d.Content != "" {
		row.Body = PlainText(d.Content)
	}
	if len(names) > 0 {
		row.Organisation = names[0]
	}
	return tx.Create(&row).Error
}

// UnindexActor removes from the index the received case studies of the
// actor (those the store empties when the actor is gone).
func UnindexActor(tx *gorm.DB, actorID int64) error {
	return tx.Where("case_study_id IN (SELECT id FROM case_studies WHERE actor_id = ? AND local = ?)", actorID, false).
		Delete(&indexRow{}).Error
}

// Rename sets the organisation name of the actor's case studies in the
// index, where it changed.
func Rename(tx *gorm.DB, actorID int64, name string) error {
	return tx.Model(&indexRow{}).
		Where("organisation <> ? AND case_study_id IN (SELECT id FROM case_studies WHERE actor_id = ?)", name, actorID).
		Update("organisation", name).Error
}

// PlainText is the text of HTML, what a reader sees of it: its
// characters unescaped, its tags gone, a line break after each block
// (a paragraph, a heading, an item of a list…) and a space between cells.
// A snippet of it shows no markup.
func PlainText(src string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(src))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "hr", "ul", "ol", "table":
				if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
					b.WriteString("\n")
				}
			case "td", "th":
				b.WriteString(" ")
			}
		}
	}
}

// Optimize compacts the full-text index after a bulk load, as its
// statistics are refreshed: on SQLite FTS5's optimize merges every
// segment of the index into one (a fill of a million case studies in
// batches leaves about fifteen, which every search word's matches are
// read across); on PostgreSQL the index and facet tables are analysed.
// It holds SQLite's write lock while it runs (about 30 seconds at a
// million case studies).
func Optimize(ctx context.Context, c dbconn.Conn) error {
	if c.Postgres {
		return c.DB.WithContext(ctx).Exec("ANALYZE case_study_search, case_study_facets").Error
	}
	return c.DB.WithContext(ctx).Exec("INSERT INTO case_study_fts(case_study_fts) VALUES('optimize')").Error
}
