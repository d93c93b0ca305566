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
	// Evidence is what the case studies a search finds report, counted
	// and summed (casesearch.Evidence).
	Evidence = casesearch.Evidence
	// EvidenceGroup and SavingsTotal are parts of Evidence.
	EvidenceGroup = casesearch.EvidenceGroup
	SavingsTotal  = casesearch.SavingsTotal
)

// The orders and facets of a search (casesearch's).
const (
	SortRelevance = casesearch.SortRelevance
	SortNewest    = casesearch.SortNewest
	SortSavings   = casesearch.SortSavings
)

// CountsMaxAge is how late a change committed by another process may show
// in the counts of every case study (casesearch.Counts).
const CountsMaxAge = casesearch.CountsMaxAge

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
	found, err := casesearch.Search(ctx, s.dbConn(), s.counts, tagKeys(q))
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

// Evidence counts and sums what the case studies q finds report (see
// casesearch.Summarise); a tag is matched by its HashtagKey. It returns
// the store's errors.
func (s *CaseStudyStore) Evidence(ctx context.Context, q CaseStudySearch) (Evidence, error) {
	return casesearch.Summarise(ctx, s.dbConn(), s.counts, tagKeys(q))
}

// OptimizeSearch compacts the search index after a bulk load
// (casesearch.Optimize).
func (s *CaseStudyStore) OptimizeSearch(ctx context.Context) error {
	return translate(casesearch.Optimize(ctx, s.dbConn()), "optimize the search index")
}

func (s *CaseStudyStore) dbConn() dbconn.Conn {
	return dbconn.Conn{DB: s.db, Postgres: s.postgres, Now: s.now, Changes: s.changes}
}

// tagKeys is q with its tags as their HashtagKey.
func tagKeys(q CaseStudySearch) CaseStudySearch {
	tags := q.Filters[casesearch.FacetTag]
	if len(tags) == 0 {
		return q
	}
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
	return q
}
