package casesearch

import (
	"context"
	"html"
	"strings"
	"unicode/utf8"

	"github.com/pollen-coop/pollen/models/dbconn"
	"github.com/pollen-coop/pollen/models/ftsquery"
)

// Marks in the text the databases highlight, turned into <mark> once the
// text is escaped: characters of Unicode's private use area.
const (
	markOpen  = "\ue000"
	markClose = "\ue001"
)

// row is what a search reads of a case study found.
type row struct {
	ID      int64
	Summary string
}

// maxMarkedTerms is how many of a query's terms a snippet marks.
const maxMarkedTerms = 4

// snippets returns, by case study id, the HTML snippet of each case study
// of cs: the best passage with the matched words in <mark>, or the start
// of the summary without text.
func (s searcher) snippets(ctx context.Context, text ftsquery.Query, cs []row) (map[int64]string, error) {
	out := make(map[int64]string, len(cs))
	if len(cs) == 0 {
		return out, nil
	}
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
		out[c.ID] = html.EscapeString(cut(c.Summary, 240))
	}
	// The snippet marks a few of the query's terms, any of them: its cost
	// grows with the square of their matches in a long text.
	text = text.Highlight(maxMarkedTerms)
	if text.IsZero() {
		return out, nil
	}
	var rows []struct {
		ID      int64
		Snippet string
	}
	var err error
	if s.Postgres {
		err = s.DB.WithContext(ctx).Raw(`SELECT case_study_id AS id, ts_headline('pollen_search',
			concat_ws(' … ', title, NULLIF(summary, ''), NULLIF(outcomes, ''), NULLIF(lessons, ''),
				NULLIF(body, ''), NULLIF(tags, ''), organisation), to_tsquery('pollen_search', ?),
			'StartSel=`+markOpen+`, StopSel=`+markClose+`, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "') AS snippet
			FROM case_study_search WHERE case_study_id IN ?`, text.TSQuery(), ids).Scan(&rows).Error
	} else {
		err = s.DB.WithContext(ctx).Raw(`SELECT rowid AS id, snippet(case_study_fts, -1, ?, ?, '…', 24) AS snippet
			FROM case_study_fts WHERE case_study_fts MATCH ? AND rowid IN ?`, markOpen, markClose, text.FTS5(), ids).Scan(&rows).Error
	}
	if err != nil {
		return nil, dbconn.Translate(err, "search snippets")
	}
	for _, r := range rows {
		out[r.ID] = markHTML(r.Snippet)
	}
	return out, nil
}

// markHTML escapes snippet and turns its marks into <mark> elements, each
// closed.
func markHTML(snippet string) string {
	var b strings.Builder
	open := false
	for len(snippet) > 0 {
		i := strings.IndexAny(snippet, markOpen+markClose)
		if i < 0 {
			b.WriteString(html.EscapeString(snippet))
			break
		}
		b.WriteString(html.EscapeString(snippet[:i]))
		r, n := utf8.DecodeRuneInString(snippet[i:])
		switch {
		case string(r) == markOpen && !open:
			b.WriteString("<mark>")
			open = true
		case string(r) == markClose && open:
			b.WriteString("</mark>")
			open = false
		}
		snippet = snippet[i+n:]
	}
	if open {
		b.WriteString("</mark>")
	}
	return b.String()
}

// cut is s shortened to at most n characters, at a space, with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	if i := strings.LastIndex(string(r), " "); i > n/2 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}
