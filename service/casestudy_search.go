package service

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/models/ftsquery"
)

// FeedFacets are the facets a feed search counts and filters by, in the
// order they are shown: region, service_area, organisation_type, stage,
// ownership_model, organisation (the author's name), tag, year.
var FeedFacets = models.Facets

// The orders a feed search may ask for (FeedQuery.Sort); "" is
// SortRelevance.
const (
	SortRelevance = models.SortRelevance
	SortNewest    = models.SortNewest
	SortSavings   = models.SortSavings
)

// FeedQuery is a search of the case studies this node holds, its own and
// received ones, as the API and the pages take it from the URL.
type FeedQuery struct {
	// Text is the search, in ftsquery's syntax: words, "phrases", OR,
	// -excluded, prefix*.
	Text string
	// Sort is SortRelevance (the default), SortNewest or SortSavings.
	Sort string
	// Filters holds the values asked for, by facet (FeedFacets): AND
	// across facets, OR within one.
	Filters map[string][]string
	// SavingsMin is a decimal amount, with SavingsCurrency (e.g. GBP) and
	// SavingsPeriod (e.g. year): all three or none.
	SavingsMin, SavingsCurrency, SavingsPeriod string
	// PublishedAfter (from, included) and PublishedBefore (until,
	// excluded) are dates (2006-01-02) or times (RFC 3339).
	PublishedAfter, PublishedBefore string
	// LocalOnly keeps this node's own case studies.
	LocalOnly bool
	// Limit out of 1 to 100 is 20.
	Limit, Offset int
	// NoFacets leaves out the facet counts, NoSnippets the snippets: the
	// feeds and the CSV download show neither.
	NoFacets, NoSnippets bool
}

// FeedItem is a case study found, with a snippet (HTML: its text escaped,
// the matched words in <mark>) and the URL of its page on this node.
type FeedItem struct {
	CaseStudyView
	Snippet string `json:"snippet"`
	Page    string `json:"page"`
}

// FacetCount is how many case studies found have one value of a facet.
type FacetCount struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

// FeedResult is one page of a feed search, the number found and every
// facet's counts (each ignoring its own filter).
type FeedResult struct {
	Items  []FeedItem              `json:"items"`
	Total  int64                   `json:"total"`
	Limit  int                     `json:"limit"`
	Offset int                     `json:"offset"`
	Facets map[string][]FacetCount `json:"facets"`
}

// SearchFeed returns the page of case studies f asks for, ranked by
// relevance (or as f.Sort says), with snippets and facet counts. Unknown
// facet values find nothing; a page past the end is empty. It returns an
// Invalid *apperr.Error for a query it cannot read (too long, no word,
// only excluded words), an unknown sort, or a bad savings or date
// filter, and the store's errors.
func (s *CaseStudies) SearchFeed(ctx context.Context, f FeedQuery) (FeedResult, error) {
	q, err := f.search()
	if err != nil {
		return FeedResult{}, err
	}
	found, err := s.store.CaseStudies.Search(ctx, q)
	if err != nil {
		return FeedResult{}, err
	}
	res := FeedResult{Total: found.Total, Limit: q.Limit, Offset: q.Offset,
		Facets: make(map[string][]FacetCount, len(found.Facets))}
	if res.Items, err = s.feedItems(ctx, found.Hits); err != nil {
		return FeedResult{}, err
	}
	for name, counts := range found.Facets {
		out := make([]FacetCount, len(counts))
		for i, c := range counts {
			out[i] = FacetCount(c)
		}
		res.Facets[name] = out
	}
	return res, nil
}

// feedItems are the views of hits, with their authors.
func (s *CaseStudies) feedItems(ctx context.Context, hits []models.SearchHit) ([]FeedItem, error) {
	items := make([]FeedItem, 0, len(hits))
	authors := map[int64]models.Actor{}
	for _, h := range hits {
		author, ok := authors[h.CaseStudy.ActorID]
		if !ok {
			var err error
			if author, err = s.store.Actors.ByID(ctx, h.CaseStudy.ActorID); err != nil {
				return nil, err
			}
			authors[author.ID] = author
		}
		v := toView(h.CaseStudy, author)
		items = append(items, FeedItem{CaseStudyView: v, Snippet: h.Snippet, Page: CaseStudyPage(s.cfg, v)})
	}
	return items, nil
}

// ParseSearch reads a search text; an Invalid *apperr.Error, naming the
// problem, when it cannot.
func ParseSearch(text string) (ftsquery.Query, error) {
	q, err := ftsquery.Parse(text)
	var pe *ftsquery.Error
	if errors.As(err, &pe) {
		return q, apperr.Errorf(apperr.Invalid, "q: %s", pe.Message)
	}
	return q, err
}

// search is f as the store takes it, or an Invalid *apperr.Error.
func (f FeedQuery) search() (models.CaseStudySearch, error) {
	text, err := ParseSearch(f.Text)
	if err != nil {
		return models.CaseStudySearch{}, err
	}
	q := models.CaseStudySearch{Text: text, LocalOnly: f.LocalOnly, Filters: f.Filters, WithFacets: !f.NoFacets, NoSnippets: f.NoSnippets,
		Sort: f.Sort, Limit: f.Limit, Offset: f.Offset}
	switch f.Sort {
	case "", SortRelevance, SortNewest, SortSavings:
	default:
		return q, apperr.Errorf(apperr.Invalid, "sort must be relevance, newest or savings")
	}
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 20
	}
	if q.Offset < 0 {
		q.Offset = 0
	}
	for name := range f.Filters {
		if !isFacet(name) {
			return q, apperr.Errorf(apperr.Invalid, "%s is not a filter", name)
		}
	}
	if f.SavingsMin != "" || f.SavingsCurrency != "" || f.SavingsPeriod != "" {
		min, err := strconv.ParseFloat(f.SavingsMin, 64)
		if err != nil || min < 0 || math.IsInf(min, 0) || math.IsNaN(min) || f.SavingsCurrency == "" || f.SavingsPeriod == "" {
			return q, apperr.Errorf(apperr.Invalid, "savings_min must be an amount of 0 or more, given with savings_currency (e.g. GBP) and savings_period (e.g. year)")
		}
		q.SavingsMin, q.SavingsCurrency, q.SavingsPeriod = min, strings.TrimSpace(f.SavingsCurrency), strings.TrimSpace(f.SavingsPeriod)
	}
	if q.PublishedAfter, err = feedDate("published_after", f.PublishedAfter); err != nil {
		return q, err
	}
	q.PublishedBefore, err = feedDate("published_before", f.PublishedBefore)
	return q, err
}

func isFacet(name string) bool {
	for _, f := range FeedFacets {
		if f == name {
			return true
		}
	}
	return false
}

// feedDate reads a date (2006-01-02, midnight UTC) or a time (RFC 3339);
// "" is the zero time.
func feedDate(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, apperr.Errorf(apperr.Invalid, "%s must be a date such as 2024-01-31", name)
}
