package service

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"strings"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// Resolver finds, fetches and stores what a search names
// (*federation.Service): its refusals are *apperr.Error values, any other
// error the store's.
type Resolver interface {
	Resolve(ctx context.Context, query string) (federation.Resolved, error)
	LocalActor(ctx context.Context) (models.Actor, error)
}

// The kinds of result a search may be limited to.
const (
	SearchAccounts = "accounts"
	SearchStatuses = "statuses"
	SearchHashtags = "hashtags"
)

// SearchQuery is a search of what the node knows, and, with Resolve, of
// what a handle or URL names elsewhere.
type SearchQuery struct {
	Text string
	// Type limits the results to one kind (SearchAccounts…); "" is all.
	Type string
	// Resolve fetches and stores the actor or case study a handle or URL
	// names, on the first page only (Offset 0).
	Resolve bool
	// Following keeps only the accounts the organisation follows.
	Following bool
	// AccountID keeps only the statuses by that actor; 0 is any.
	AccountID     int64
	Limit, Offset int
}

// SearchResult is what a search found, each kind at most Limit long.
type SearchResult struct {
	Accounts []models.Actor
	Statuses []TimelineItem
	Hashtags []string
}

// Search answers searches: the actors, case studies and hashtags the node
// knows, matched by text (full-text search for case studies, a capped LIKE search for
// accounts and hashtags), and what a handle or URL names, resolved by federation.
type Search struct {
	store    *models.Store
	resolver Resolver
	statuses *Statuses
	log      *slog.Logger
}

// NewSearch makes the search over store, resolving through resolver and
// showing what it finds as statuses does.
func NewSearch(store *models.Store, resolver Resolver, statuses *Statuses, log *slog.Logger) *Search {
	return &Search{store: store, resolver: resolver, statuses: statuses, log: log}
}

// handlePattern is what a handle typed into a search looks like:
// @user@host or user@host, the host with its port.
var handlePattern = regexp.MustCompile(`^@?[^@\s/?#]+@[^@\s/?#]+$`)

// Search finds what q asks for. An unknown handle or a URL that cannot be
// fetched finds nothing; a URL searched with Resolve finds only what it
// names. It returns an invalid error for an empty text or an unknown
// type, and the store's errors.
func (s *Search) Search(ctx context.Context, q SearchQuery) (SearchResult, error) {
	q.Text = strings.TrimSpace(q.Text)
	if q.Text == "" {
		return SearchResult{}, apperr.InvalidFields(map[string]string{"q": "Enter something to search for"})
	}
	switch q.Type {
	case "", SearchAccounts, SearchStatuses, SearchHashtags:
	default:
		return SearchResult{}, apperr.InvalidFields(map[string]string{"type": "type must be accounts, statuses or hashtags"})
	}
	res := SearchResult{Accounts: []models.Actor{}, Statuses: []TimelineItem{}, Hashtags: []string{}}
	isURL := strings.HasPrefix(q.Text, "https://") || strings.HasPrefix(q.Text, "http://")
	if q.Resolve && q.Offset == 0 && q.Type != SearchHashtags && (isURL || handlePattern.MatchString(q.Text)) {
		if err := s.resolve(ctx, q, &res); err != nil {
			return SearchResult{}, err
		}
		if isURL {
			return res, nil
		}
	}
	if err := s.local(ctx, q, &res); err != nil {
		return SearchResult{}, err
	}
	return res, nil
}

// resolve adds what q's handle or URL names to res: nothing when it
// cannot be resolved (logged), the store's errors.
func (s *Search) resolve(ctx context.Context, q SearchQuery, res *SearchResult) error {
	found, err := s.resolver.Resolve(ctx, q.Text)
	var refused *apperr.Error
	if errors.As(err, &refused) {
		s.log.Info("search could not resolve", "query", q.Text, "err", err)
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case found.Kind == federation.ResolvedActor && q.Type != SearchStatuses:
		res.Accounts = append(res.Accounts, found.Actor)
	case found.Kind != federation.ResolvedActor && found.Kind != "" && q.Type != SearchAccounts:
		// A status of any kind, by its IRI (nothing when it is deleted).
		entries, err := s.store.Timelines.ByIRIs(ctx, []string{found.IRI})
		if err != nil {
			return err
		}
		e, ok := entries[found.IRI]
		if !ok {
			return nil
		}
		items, err := s.statuses.items(ctx, []models.TimelineEntry{e})
		if err != nil {
			return err
		}
		res.Statuses = append(res.Statuses, items...)
	}
	return nil
}

// local adds to res what the node knows that matches q's text.
func (s *Search) local(ctx context.Context, q SearchQuery, res *SearchResult) error {
	if q.Type == "" || q.Type == SearchAccounts {
		if err := s.localAccounts(ctx, q, res); err != nil {
			return err
		}
	}
	if q.Type == "" || q.Type == SearchStatuses {
		entries, err := s.caseStudies(ctx, q)
		if err != nil {
			return err
		}
		items, err := s.statuses.items(ctx, entries)
		if err != nil {
			return err
		}
		res.Statuses = appendNew(res.Statuses, items, func(it TimelineItem) string { return it.IRI }, q.Limit)
	}
	if q.Type == "" || q.Type == SearchHashtags {
		tags, err := s.store.CaseStudies.SearchTags(ctx, q.Text, q.Limit, q.Offset)
		if err != nil {
			return err
		}
		res.Hashtags = tags
	}
	return nil
}

// caseStudies are the case studies q's text finds by full-text search,
// the best matches first: none when the text holds no word to search
// for (a handle, only operators).
func (s *Search) caseStudies(ctx context.Context, q SearchQuery) ([]models.TimelineEntry, error) {
	text, err := ParseSearch(q.Text)
	if err != nil || text.IsZero() {
		// Not a full-text query (only operators, too many words): the
		// accounts and hashtags may still match it.
		return []models.TimelineEntry{}, nil
	}
	found, err := s.store.CaseStudies.Search(ctx, models.CaseStudySearch{
		Text: text, ActorID: q.AccountID, Limit: min(max(q.Limit, 1), models.MaxSearchRows), Offset: q.Offset,
	})
	if err != nil {
		return nil, err
	}
	entries := make([]models.TimelineEntry, 0, len(found.Hits))
	for _, h := range found.Hits {
		c := h.CaseStudy
		entries = append(entries, models.TimelineEntry{Kind: models.KindCaseStudy, ID: c.ID, StatusID: c.StatusID, ActorID: c.ActorID})
	}
	return entries, nil
}

// localAccounts adds the known actors matching q to res; with
// q.Following, only those the organisation follows (filtered after the
// page is read, so a page may come short).
func (s *Search) localAccounts(ctx context.Context, q SearchQuery, res *SearchResult) error {
	as, err := s.store.Actors.SearchActors(ctx, q.Text, q.Limit, q.Offset)
	if err != nil {
		return err
	}
	if q.Following {
		local, err := s.resolver.LocalActor(ctx)
		if err != nil {
			return err
		}
		kept := as[:0]
		for _, a := range as {
			ok, err := s.store.Follows.IsFollowing(ctx, local.ID, a.ID)
			if err != nil {
				return err
			}
			if ok {
				kept = append(kept, a)
			}
		}
		as = kept
	}
	res.Accounts = appendNew(res.Accounts, as, func(a models.Actor) string { return a.IRI }, q.Limit)
	return nil
}

// appendNew appends the items of more whose key is not in list yet, up
// to limit items in all.
func appendNew[T any](list, more []T, key func(T) string, limit int) []T {
	seen := map[string]bool{}
	for _, it := range list {
		seen[key(it)] = true
	}
	for _, it := range more {
		if len(list) >= limit {
			break
		}
		if !seen[key(it)] {
			seen[key(it)] = true
			list = append(list, it)
		}
	}
	return list
}
