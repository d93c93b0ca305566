package models

import (
	"context"

	"github.com/pollen-coop/pollen/models/casesearch"
	"github.com/pollen-coop/pollen/models/dbconn"
)

// The search of case studies (package casesearch), as the store offers it.
type (
	// CaseStudySearch is a full-text search with filters (casesearch.Query).
	CaseStudySearch = casesearch.Query
	// FacetCount is how many case studies found have a facet's value.
	FacetCount = casesearch.FacetCount
)

// The orders and facets of a search (casesearch's).
const (
	SortRelevance = casesearch.SortRelevance
	SortNewest    = casesearch.SortNewest
	SortSavings   = casesearch.SortSavings
)

// Facets are the names of the facets a search counts, in order.
var Facets = casesearch.Facets

// SearchHit is a case study found, with its snippet of HTML (its text
// escaped, the matched words in <mark>).
type SearchHit struct {
	CaseStudy CaseStudy
	Snippet   string
}

// SearchResults is one page of a search, the number found in all and,
// when asked, each facet's counts.
type SearchResults struct {
	Hits   []SearchHit
	Total  int64
	Facets map[string][]FacetCount
}

// Search returns the page of live case studies q asks for, in its order,
// with the total and the facet counts (see casesearch.Search); a tag is
// matched by its HashtagKey. It returns the store's errors.
func (s *CaseStudyStore) Search(ctx context.Context, q CaseStudySearch) (SearchResults, error) {
	if tags := q.Filters[casesearch.FacetTag]; len(tags) > 0 {
		filters := make(map[string][]string, len(q.Filters))
		for k, v := range q.Filters {
			filters[k] = v
		}
		keys := make([]string, len(tags))
		for i, t := range tags {
			keys[i] = HashtagKey(t)
		}
		filters[casesearch.FacetTag] = keys
		q.Filters = filters
	}
	found, err := casesearch.Search(ctx, dbconn.Conn{DB: s.db, Postgres: s.postgres, Now: s.now}, q)
	if err != nil {
		return SearchResults{}, err
	}
	res := SearchResults{Hits: make([]SearchHit, 0, len(found.Hits)), Total: found.Total, Facets: found.Facets}
	ids := make([]int64, len(found.Hits))
	for i, h := range found.Hits {
		ids[i] = h.ID
	}
	var cs []CaseStudy
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&cs).Error; err != nil {
		return SearchResults{}, translate(err, "search case studies")
	}
	byID := make(map[int64]CaseStudy, len(cs))
	for _, c := range cs {
		byID[c.ID] = c
	}
	for _, h := range found.Hits {
		if c, ok := byID[h.ID]; ok {
			res.Hits = append(res.Hits, SearchHit{CaseStudy: c, Snippet: h.Snippet})
		}
	}
	return res, nil
}
