// Package casesearch is the full-text search of case studies with facets
// (the index is step009's: FTS5 on SQLite, a tsvector on PostgreSQL; the
// facet values and their counts are step018's tables): it finds the ids
// of the case studies a search asks for, in order, with snippets and
// facet counts. Package models loads the rows.
package casesearch

import (
	"context"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
	"github.com/pollen-coop/pollen/models/ftsquery"
	"github.com/pollen-coop/pollen/models/policy"
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

// Query is a full-text search of the live case studies with
// filters. Zero fields do not filter. Filters combine with AND; the
// values of one facet in Filters with OR, case-insensitively (a tag by its
// hashtag key, as the caller gives it; a year as four digits; an organisation by its author's
// name).
type Query struct {
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
	// WithFacets asks for the facet counts; NoSnippets leaves the hits'
	// snippets empty.
	WithFacets, NoSnippets bool
	Limit, Offset          int
}

// Hit is the id of a case study found, with a snippet of HTML: its text
// escaped, the matched words in <mark>.
type Hit struct {
	ID      int64
	Snippet string
}

// FacetCount is how many case studies found have a facet's value.
type FacetCount struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

// Results is one page of a search, the number found in all and,
// when asked, the counts of each facet (ignoring that facet's own
// filter, so its other values stay choosable).
type Results struct {
	Hits   []Hit
	Total  int64
	Facets map[string][]FacetCount
}

// searcher runs searches on a database.
type searcher struct{ dbconn.Conn }

// Search returns the page of live case studies q asks for on c, in its
// order, with the total and the facet counts. Unknown filter values find
// nothing; a page past the end is empty. It returns the database's
// errors. The counts of every case study (no text, no filter) are read
// through k (nil: from the database every time).
func Search(ctx context.Context, c dbconn.Conn, k *Counts, q Query) (Results, error) {
	s := searcher{c}
	if q.Limit <= 0 {
		q.Limit = 20
	}
	res := Results{Hits: []Hit{}}
	from, args := s.searchFrom(q, "")
	db := s.DB.WithContext(ctx)
	var err error
	switch {
	case q.WithFacets && !q.Text.IsZero():
		// The total and the counts of a text search in one statement.
		if res.Facets, res.Total, err = s.matchedFacets(ctx, q); err != nil {
			return res, err
		}
	case counted(q):
		// The total and the counts of every case study, kept as they are written.
		if res.Facets, res.Total, err = s.cachedFacets(ctx, k, q); err != nil {
			return res, err
		}
	default:
		if err := db.Raw("SELECT COUNT(*) "+from, args...).Scan(&res.Total).Error; err != nil {
			return res, dbconn.Translate(err, "count search")
		}
	}
	var ids []int64
	err = db.Raw("SELECT n.case_study_id "+from+" ORDER BY "+s.searchOrder(q)+" LIMIT ? OFFSET ?",
		append(args, q.Limit, q.Offset)...).Scan(&ids).Error
	if err != nil {
		return res, dbconn.Translate(err, "search case studies")
	}
	snippets := map[int64]string{}
	if !q.NoSnippets && len(ids) > 0 {
		var cs []row
		if err := db.Raw("SELECT id, summary FROM case_studies WHERE id IN ?", ids).Scan(&cs).Error; err != nil {
			return res, dbconn.Translate(err, "search case studies")
		}
		if snippets, err = s.snippets(ctx, q.Text, cs); err != nil {
			return res, err
		}
	}
	for _, id := range ids {
		res.Hits = append(res.Hits, Hit{ID: id, Snippet: snippets[id]})
	}
	if q.WithFacets && q.Text.IsZero() && !counted(q) {
		if res.Facets, err = s.facets(ctx, q); err != nil {
			return res, err
		}
	}
	return res, nil
}

// searchOrder is the ORDER BY of q.
func (s searcher) searchOrder(q Query) string {
	switch {
	case q.Sort == SortSavings:
		return "n.savings_amount DESC NULLS LAST, n.published DESC, n.case_study_id DESC"
	case q.Sort == SortNewest || q.Text.IsZero():
		return "n.published DESC, n.case_study_id DESC"
	}
	return "m.score, n.published DESC, n.case_study_id DESC"
}

// matches is the subquery of the case studies that match the text, with
// their score (the lower, the better) as m.rid and m.score.
func (s searcher) matches(text ftsquery.Query) (string, []any) {
	if s.Postgres {
		return `(SELECT case_study_id AS rid, -ts_rank_cd(document, to_tsquery('pollen_search', ?)) AS score
			FROM case_study_search WHERE document @@ to_tsquery('pollen_search', ?)) m`, []any{text.TSQuery(), text.TSQuery()}
	}
	// bm25 weights: title, summary, body, outcomes, lessons, tags, organisation.
	return `(SELECT rowid AS rid, bm25(case_study_fts, 10.0, 4.0, 1.0, 2.0, 2.0, 4.0, 4.0) AS score
		FROM case_study_fts WHERE case_study_fts MATCH ?) m`, []any{text.FTS5()}
}

// searchFrom is the FROM and WHERE of q with every filter but the
// facet except's: the rows of the facet table (n) of the live case
// studies q finds, with their scores (m) when q has text.
func (s searcher) searchFrom(q Query, except string) (string, []any) {
	sql := "FROM case_study_facets n"
	var args []any
	if !q.Text.IsZero() {
		m, margs := s.matches(q.Text)
		sql += " JOIN " + m + " ON m.rid = n.case_study_id"
		args = append(args, margs...)
	}
	sql += " WHERE n.actor_id NOT IN (" + policy.HiddenActorIDs + ")"
	if q.LocalOnly {
		sql += " AND n.local = ?"
		args = append(args, true)
	}
	if q.ActorID != 0 {
		sql += " AND n.actor_id = ?"
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
		sql += " AND " + s.Lower("n.savings_currency") + " = ? AND " + s.Lower("n.savings_period") + " = ? AND n.savings_amount >= ?"
		args = append(args, strings.ToLower(q.SavingsCurrency), strings.ToLower(q.SavingsPeriod), q.SavingsMin)
	}
	if !q.PublishedAfter.IsZero() {
		sql += " AND n.published >= ?"
		args = append(args, dbconn.DBTime(q.PublishedAfter))
	}
	if !q.PublishedBefore.IsZero() {
		sql += " AND n.published < ?"
		args = append(args, dbconn.DBTime(q.PublishedBefore))
	}
	if !q.Text.IsZero() && s.Postgres {
		cond, cargs := s.matchedIDs(q.Text)
		sql += " AND " + cond
		args = append(args, cargs...)
	}
	return sql, args
}

// matchedIDs is, on PostgreSQL, the condition that keeps the rows of the
// facet table (n) of the case studies that match the text, by their
// primary key: with a join on the matches alone, the planner reads the
// whole facet table into a hash for a few thousand matches.
func (s searcher) matchedIDs(text ftsquery.Query) (string, []any) {
	return "n.case_study_id = ANY(ARRAY(SELECT case_study_id FROM case_study_search WHERE document @@ to_tsquery('pollen_search', ?)))",
		[]any{text.TSQuery()}
}

// savingsAmount is the SQL of a case study's savings (of its row, c) as a
// number, NULL when it reports none: what the facet table keeps.
func (s searcher) savingsAmount() string {
	if s.Postgres {
		return `(CASE WHEN c.savings_amount ~ '^[0-9]+([.][0-9]+){0,1}$' THEN c.savings_amount::float8 END)`
	}
	return `(CASE WHEN c.savings_amount <> '' THEN CAST(c.savings_amount AS REAL) END)`
}
