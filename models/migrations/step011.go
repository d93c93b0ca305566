package migrations

import (
	"strings"

	"golang.org/x/net/html"
	"gorm.io/gorm"
)

// step011 indexes the text of each case study's body rather than its
// Markdown source, so that search snippets show no markup: the body of
// every row of the search index becomes the text of the case study's
// sanitised HTML (its Markdown source where it has none), a batch of rows
// at a time. The triggers (SQLite) and the generated column (PostgreSQL)
// of step009 update the index itself.
func step011(tx *gorm.DB) error {
	var last int64
	for {
		var rows []struct {
			ID            int64
			Content, Body string
		}
		err := tx.Raw(`SELECT c.id, COALESCE(c.content, '') AS content, COALESCE(c.body, '') AS body
			FROM case_studies c JOIN case_study_search s ON s.case_study_id = c.id
			WHERE c.id > ? ORDER BY c.id LIMIT 500`, last).Scan(&rows).Error
		if err != nil || len(rows) == 0 {
			return err
		}
		for _, r := range rows {
			body := r.Body
			if r.Content != "" {
				body = plainText011(r.Content)
			}
			if err := tx.Exec(`UPDATE case_study_search SET body = ? WHERE case_study_id = ? AND body <> ?`, body, r.ID, body).Error; err != nil {
				return err
			}
			last = r.ID
		}
	}
}

// plainText011 is the text of HTML: its characters unescaped, its tags
// gone, a line break after each block and a space between cells.
func plainText011(src string) string {
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
