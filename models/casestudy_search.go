package models

import (
	"context"
	"html"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pollen-coop/pollen/models/ftsquery"
)

// The orders a search may ask for.
const (
	// SortRelevance puts the best matches first (the title weighs most);
	// without text it is SortNewest.
	SortRelevance = "relevance"
	// SortNewest puts the latest published first.
	SortNewest = "newest"
	// SortSavings puts the largest reported savings first, those without
	// any last.
	SortSavings = "savings"
)

// The facets a search counts, by name.
const (
	FacetRegion           = "region"
	FacetServiceArea      = "service_area"
	FacetOrganisationType = "organisation_type"
	FacetStage            = "stage"
	FacetOwnershipModel   = "ownership_model"
	FacetOrganisation     = "organisation"
	FacetTag              = "tag"
	FacetYear             = "year"
)

// Facets are the names of the facets, in the order they are shown.
var Facets = []string{FacetRegion, FacetServiceArea, FacetOrganisationType, FacetStage,
	FacetOwnershipModel, FacetOrganisation, FacetTag, FacetYear}

// MaxFacetValues is the most values a facet count lists (the most
// common first).
const MaxFacetValues = 50

// CaseStudySearch is a full-text search of the live case studies with
// filters. Zero fields do not filter. Filters combine with AND; the
// values of one facet in Filters with OR, case-insensitively (a tag by its
// HashtagKey; a year as four digits; an organisation by its author's
// name).
type CaseStudySearch struct {
	Text      ftsquery.Query
	LocalOnly bool
	ActorID   int64
	// Filters holds the values asked for, by facet name (Facets).
	Filters map[string][]string
	// SavingsMin keeps the case studies that report savings of at least
	// this amount in SavingsCurrency per SavingsPeriod (all three or none).
	SavingsMin                     float64
	SavingsCurrency, SavingsPeriod string
	// PublishedAfter keeps those published at or after it,
	// PublishedBefore those published before it.
	PublishedAfter, PublishedBefore time.Time
	Sort                            string
	// WithFacets asks for the facet counts.
	WithFacets    bool
	Limit, Offset int
}

// SearchHit is a case study found, with a snippet of HTML: its text
// escaped, the matched words in <mark>.
type SearchHit struct {
	CaseStudy CaseStudy
	Snippet   string
}

// FacetCount is how many case studies found have a facet's value.
type FacetCount struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

// SearchResults is one page of a search, the number found in all and,
// when asked, the counts of each facet (ignoring that facet's own
// filter, so its other values stay choosable).
type SearchResults struct {
	Hits   []SearchHit
	Total  int64
	Facets map[string][]FacetCount
}

// Search returns the page of live case studies q asks for, in its order,
// with the total and the facet counts. Unknown filter values find
// nothing; a page past the end is empty. It returns the store's errors.
func (s *CaseStudyStore) Search(ctx context.Context, q CaseStudySearch) (SearchResults, error) {
	if q.Limit <= 0 {
		q.Limit = 20
	}
	res := SearchResults{Hits: []SearchHit{}}
	from, args := s.searchFrom(q, "")
	db := s.db.WithContext(ctx)
	if err := db.Raw("SELECT COUNT(*) "+from, args...).Scan(&res.Total).Error; err != nil {
		return res, translate(err, "count search")
	}
	var cs []CaseStudy
	err := db.Raw("SELECT c.* "+from+" ORDER BY "+s.searchOrder(q)+" LIMIT ? OFFSET ?",
		append(args, q.Limit, q.Offset)...).Scan(&cs).Error
	if err != nil {
		return res, translate(err, "search case studies")
	}
	snippets, err := s.snippets(ctx, q.Text, cs)
	if err != nil {
		return res, err
	}
	for _, c := range cs {
		res.Hits = append(res.Hits, SearchHit{CaseStudy: c, Snippet: snippets[c.ID]})
	}
	if q.WithFacets {
		if res.Facets, err = s.facets(ctx, q); err != nil {
			return res, err
		}
	}
	return res, nil
}

// searchOrder is the ORDER BY of q.
func (s *CaseStudyStore) searchOrder(q CaseStudySearch) string {
	switch {
	case q.Sort == SortSavings:
		return s.savingsAmount() + " DESC NULLS LAST, c.published DESC, c.id DESC"
	case q.Sort == SortNewest || q.Text.IsZero():
		return "c.published DESC, c.id DESC"
	}
	return "m.score, c.published DESC, c.id DESC"
}

// matches is the subquery of the case studies that match the text, with
// their score (the lower, the better) as m.rid and m.score.
func (s *CaseStudyStore) matches(text ftsquery.Query) (string, []any) {
	if s.postgres {
		return `(SELECT case_study_id AS rid, -ts_rank_cd(document, to_tsquery('pollen_search', ?)) AS score
			FROM case_study_search WHERE document @@ to_tsquery('pollen_search', ?)) m`, []any{text.TSQuery(), text.TSQuery()}
	}
	// bm25 weights: title, summary, body, outcomes, lessons, tags, organisation.
	return `(SELECT rowid AS rid, bm25(case_study_fts, 10.0, 4.0, 1.0, 2.0, 2.0, 4.0, 4.0) AS score
		FROM case_study_fts WHERE case_study_fts MATCH ?) m`, []any{text.FTS5()}
}

// searchFrom is the FROM and WHERE of q with every filter but the
// facet except's.
func (s *CaseStudyStore) searchFrom(q CaseStudySearch, except string) (string, []any) {
	sql := "FROM case_studies c JOIN actors a ON a.id = c.actor_id"
	var args []any
	if !q.Text.IsZero() {
		m, margs := s.matches(q.Text)
		sql += " JOIN " + m + " ON m.rid = c.id"
		args = append(args, margs...)
	}
	sql += " WHERE c.deleted_at IS NULL"
	if q.LocalOnly {
		sql += " AND c.local = ?"
		args = append(args, true)
	}
	if q.ActorID != 0 {
		sql += " AND c.actor_id = ?"
		args = append(args, q.ActorID)
	}
	for _, f := range Facets {
		if vs := q.Filters[f]; len(vs) > 0 && f != except {
			cond, cargs := s.facetFilter(f, vs)
			sql += " AND " + cond
			args = append(args, cargs...)
		}
	}
	if q.SavingsCurrency != "" {
		sql += " AND " + s.lower("c.savings_currency") + " = ? AND " + s.lower("c.savings_period") + " = ? AND " + s.savingsAmount() + " >= ?"
		args = append(args, strings.ToLower(q.SavingsCurrency), strings.ToLower(q.SavingsPeriod), q.SavingsMin)
	}
	if !q.PublishedAfter.IsZero() {
		sql += " AND c.published >= ?"
		args = append(args, q.PublishedAfter.UTC())
	}
	if !q.PublishedBefore.IsZero() {
		sql += " AND c.published < ?"
		args = append(args, q.PublishedBefore.UTC())
	}
	return sql, args
}

// savingsAmount is the SQL of a case study's savings as a number, NULL
// when it reports none.
func (s *CaseStudyStore) savingsAmount() string {
	if s.postgres {
		return `(CASE WHEN c.savings_amount ~ '^[0-9]+([.][0-9]+){0,1}$' THEN c.savings_amount::float8 END)`
	}
	return `(CASE WHEN c.savings_amount <> '' THEN CAST(c.savings_amount AS REAL) END)`
}

// facetColumn is the SQL of a facet's value (not the tag's: a case study
// has several).
func (s *CaseStudyStore) facetColumn(f string) string {
	switch f {
	case FacetOrganisation:
		return "a.name"
	case FacetYear:
		if s.postgres {
			return "to_char(c.published AT TIME ZONE 'UTC', 'YYYY')"
		}
		return "strftime('%Y', c.published)"
	}
	return "c." + f
}

// facetFilter is the condition that keeps the case studies with one of
// the values of facet f.
func (s *CaseStudyStore) facetFilter(f string, values []string) (string, []any) {
	keys := make([]string, 0, len(values))
	for _, v := range values {
		if f == FacetTag {
			v = HashtagKey(v)
		}
		keys = append(keys, strings.ToLower(v))
	}
	switch f {
	case FacetTag:
		return "c.status_id IN (SELECT status_id FROM status_tags WHERE name IN ?)", []any{keys}
	case FacetYear:
		var conds []string
		var args []any
		for _, v := range keys {
			t, err := time.Parse("2006", v)
			if err != nil {
				conds = append(conds, "1 = 0")
				continue
			}
			conds = append(conds, "(c.published >= ? AND c.published < ?)")
			args = append(args, t, t.AddDate(1, 0, 0))
		}
		return "(" + strings.Join(conds, " OR ") + ")", args
	}
	return s.lower(s.facetColumn(f)) + " IN ?", []any{keys}
}

// facets counts the values of every facet among the case studies q
// finds, each ignoring its own filter.
func (s *CaseStudyStore) facets(ctx context.Context, q CaseStudySearch) (map[string][]FacetCount, error) {
	out := make(map[string][]FacetCount, len(Facets))
	for _, f := range Facets {
		from, args := s.searchFrom(q, f)
		col := s.facetColumn(f)
		if f == FacetTag {
			from = strings.Replace(from, "FROM case_studies c", "FROM status_tags t JOIN case_studies c ON c.status_id = t.status_id", 1)
			col = "t.name"
		}
		counts := []FacetCount{}
		err := s.db.WithContext(ctx).Raw("SELECT "+col+" AS value, COUNT(*) AS count "+from+" AND "+col+" <> '' GROUP BY "+col+
			" ORDER BY count DESC, value LIMIT ?", append(args, MaxFacetValues)...).Scan(&counts).Error
		if err != nil {
			return nil, translate(err, "count facet %s", f)
		}
		out[f] = counts
	}
	return out, nil
}

// Marks in the text the databases highlight, turned into <mark> once the
// text is escaped: characters of Unicode's private use area.
const (
	markOpen  = "\ue000"
	markClose = "\ue001"
)

// snippets returns, by case study id, the HTML snippet of each case study
// of cs: the best passage with the matched words in <mark>, or the start
// of the summary without text.
func (s *CaseStudyStore) snippets(ctx context.Context, text ftsquery.Query, cs []CaseStudy) (map[int64]string, error) {
	out := make(map[int64]string, len(cs))
	if len(cs) == 0 {
		return out, nil
	}
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
		out[c.ID] = html.EscapeString(cut(c.Summary, 240))
	}
	if text.IsZero() {
		return out, nil
	}
	var rows []struct {
		ID      int64
		Snippet string
	}
	var err error
	if s.postgres {
		err = s.db.WithContext(ctx).Raw(`SELECT case_study_id AS id, ts_headline('pollen_search',
			concat_ws(' … ', title, NULLIF(summary, ''), NULLIF(outcomes, ''), NULLIF(lessons, ''),
				NULLIF(body, ''), NULLIF(tags, ''), organisation), to_tsquery('pollen_search', ?),
			'StartSel=`+markOpen+`, StopSel=`+markClose+`, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "') AS snippet
			FROM case_study_search WHERE case_study_id IN ?`, text.TSQuery(), ids).Scan(&rows).Error
	} else {
		err = s.db.WithContext(ctx).Raw(`SELECT rowid AS id, snippet(case_study_fts, -1, ?, ?, '…', 24) AS snippet
			FROM case_study_fts WHERE case_study_fts MATCH ? AND rowid IN ?`, markOpen, markClose, text.FTS5(), ids).Scan(&rows).Error
	}
	if err != nil {
		return nil, translate(err, "search snippets")
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
