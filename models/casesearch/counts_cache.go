package casesearch

import (
	"context"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// CountsMaxAge is how long Counts keeps an answer at most: how late a
// change committed by another process (a second server on the same
// PostgreSQL, a command-line import) may show in the counts of every
// case study. A change this process commits shows at once.
const CountsMaxAge = 2 * time.Second

// Counts keeps the answers that read every live case study's counts (a
// search without words or filters: a hub's home page, and the evidence
// of the whole region), which every write may change but which are read
// far more often than written. An answer is kept with the number of
// changes this process had committed when it was read (dbconn.Changes)
// and served until that number moves on, or for CountsMaxAge. Readers
// of a key that is being read wait for that read rather than repeat it.
// The zero value is not usable; make one with NewCounts. A nil *Counts
// keeps nothing.
type Counts struct {
	now    func() time.Time
	maxAge time.Duration
	flight singleflight.Group

	mu      sync.Mutex
	entries map[string]countsEntry
}

// countsEntry is an answer, the changes counted before it was read and
// when it was read.
type countsEntry struct {
	answer  any
	changes uint64
	at      time.Time
}

// NewCounts makes an empty cache of counted answers, whose ages are
// measured on the clock now.
func NewCounts(now func() time.Time) *Counts {
	return &Counts{now: now, maxAge: CountsMaxAge, entries: map[string]countsEntry{}}
}

// counted is the answer kept under key, or read makes it. An answer
// read while c.Changes moved on is returned but not kept.
func (k *Counts) counted(ctx context.Context, c dbconn.Conn, key string, read func(context.Context) (any, error)) (any, error) {
	if k == nil || c.Changes == nil {
		return read(ctx)
	}
	changes := c.Changes.Count()
	k.mu.Lock()
	e, ok := k.entries[key]
	k.mu.Unlock()
	if ok && e.changes == changes && k.now().Sub(e.at) < k.maxAge {
		return e.answer, nil
	}
	v, err, _ := k.flight.Do(key, func() (any, error) {
		before, at := c.Changes.Count(), k.now()
		// A read shared by several requests must not end with the one
		// that started it.
		answer, err := read(context.WithoutCancel(ctx))
		if err != nil {
			return nil, err
		}
		if c.Changes.Count() == before {
			k.mu.Lock()
			k.entries[key] = countsEntry{answer: answer, changes: before, at: at}
			k.mu.Unlock()
		}
		return answer, nil
	})
	return v, err
}

// facetsTotal is the answer of countedFacets.
type facetsTotal struct {
	facets map[string][]FacetCount
	total  int64
}

// countsKey is the key of q's answer of the given kind.
func countsKey(kind string, q Query) string {
	key := kind
	if q.LocalOnly {
		key += ":local"
	}
	if q.WithFacets {
		key += ":facets"
	}
	return key
}

// cachedFacets is countedFacets of q, through k.
func (s searcher) cachedFacets(ctx context.Context, k *Counts, q Query) (map[string][]FacetCount, int64, error) {
	v, err := k.counted(ctx, s.Conn, countsKey("facets", q), func(ctx context.Context) (any, error) {
		facets, total, err := s.countedFacets(ctx, q)
		return facetsTotal{facets, total}, err
	})
	if err != nil {
		return nil, 0, err
	}
	ft := v.(facetsTotal)
	if ft.facets == nil {
		return nil, ft.total, nil
	}
	// The caller may change its answer; the kept one stays as read.
	out := make(map[string][]FacetCount, len(ft.facets))
	for f, counts := range ft.facets {
		out[f] = slices.Clone(counts)
	}
	return out, ft.total, nil
}

// cachedEvidence is the evidence of q (counted), outcomes and lessons
// included, through k.
func (s searcher) cachedEvidence(ctx context.Context, k *Counts, q Query) (Evidence, error) {
	v, err := k.counted(ctx, s.Conn, countsKey("evidence", q), func(ctx context.Context) (any, error) {
		ev, err := s.countedEvidence(ctx, q)
		if err != nil {
			return ev, err
		}
		return s.withTexts(ctx, q, ev)
	})
	if err != nil {
		return Evidence{}, err
	}
	return cloneEvidence(v.(Evidence)), nil
}

// cloneEvidence is a copy of ev that shares nothing a caller may change.
func cloneEvidence(ev Evidence) Evidence {
	groups := func(gs []EvidenceGroup) []EvidenceGroup {
		out := slices.Clone(gs)
		for i := range out {
			out[i].Savings = slices.Clone(out[i].Savings)
		}
		return out
	}
	ev.Savings = slices.Clone(ev.Savings)
	ev.ServiceAreas, ev.Regions = groups(ev.ServiceAreas), groups(ev.Regions)
	ev.Stages, ev.Outcomes, ev.Lessons = slices.Clone(ev.Stages), slices.Clone(ev.Outcomes), slices.Clone(ev.Lessons)
	return ev
}
