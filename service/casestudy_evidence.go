package service

import (
	"context"

	"github.com/pollen-coop/pollen/models"
)

// Evidence is what the case studies of a feed search report, counted
// and summed: their number, savings per currency and period (never
// summed across them), and by service area, region, stage and most
// common outcome and lesson.
type Evidence = models.Evidence

// EvidenceGroup is the case studies with one value of a facet: how many,
// and their savings; SavingsTotal is a sum of savings in one currency per
// one period, with how many case studies report it; EvidenceCount is how
// many case studies found have a value (a stage, an outcome, a lesson).
type (
	EvidenceGroup = models.EvidenceGroup
	SavingsTotal  = models.SavingsTotal
	EvidenceCount = models.FacetCount
)

// FeedEvidence counts and sums what the case studies f finds report (its
// sort and paging aside). It returns the Invalid *apperr.Error SearchFeed
// returns for a query it cannot read, and the store's errors.
func (s *CaseStudies) FeedEvidence(ctx context.Context, f FeedQuery) (Evidence, error) {
	q, err := f.search()
	if err != nil {
		return Evidence{}, err
	}
	return s.store.CaseStudies.Evidence(ctx, q)
}

// MaxExport is the most case studies ExportFeed hands over: the CSV
// download of a search stops there.
const MaxExport = 10_000

// exportPage is how many case studies ExportFeed reads at a time.
const exportPage = 500

// ExportFeed reads every case study f finds, in f's order (f's limit and
// offset aside), at most MaxExport, a page at a time: it calls start once
// with the number found in all, then each with every one, without its
// snippet. It returns the Invalid *apperr.Error SearchFeed returns for a
// query it cannot read, the store's errors and those of start and each.
func (s *CaseStudies) ExportFeed(ctx context.Context, f FeedQuery, start func(total int64) error, each func(FeedItem) error) error {
	f.NoFacets, f.NoSnippets, f.Limit, f.Offset = true, true, 0, 0
	q, err := f.search()
	if err != nil {
		return err
	}
	for q.Offset = 0; q.Offset < MaxExport; q.Offset += exportPage {
		q.Limit = min(exportPage, MaxExport-q.Offset)
		found, err := s.store.CaseStudies.Search(ctx, q)
		if err != nil {
			return err
		}
		if q.Offset == 0 {
			if err := start(found.Total); err != nil {
				return err
			}
		}
		items, err := s.feedItems(ctx, found.Hits)
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := each(it); err != nil {
				return err
			}
		}
		if len(found.Hits) < q.Limit {
			break
		}
	}
	return nil
}
