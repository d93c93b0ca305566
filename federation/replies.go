package federation

import (
	"context"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/apdoc"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// RepliesPageSize is how many replies one page of a replies collection
// holds.
const RepliesPageSize = 20

// RepliesCollection returns the replies collection of the local case study
// slug (page 0), or one page of it: the IRIs of the notes that reply to it,
// oldest first. It returns models.ErrNotFound, or a 410 *apperr.Error for a
// deleted case study.
func (s *Documents) RepliesCollection(ctx context.Context, slug string, page int) (Collection, error) {
	c, err := s.liveCaseStudy(ctx, slug)
	if err != nil {
		return Collection{}, err
	}
	col, err := s.repliesCollection(ctx, c, page)
	if err != nil {
		return Collection{}, err
	}
	col.Context = ap.Context
	return col, nil
}

// liveCaseStudy reads the local case study slug: models.ErrNotFound for
// a slug never used, a 410 *apperr.Error for a deleted one.
func (s *Documents) liveCaseStudy(ctx context.Context, slug string) (models.CaseStudy, error) {
	c, err := s.store.CaseStudies.BySlug(ctx, slug)
	if err != nil {
		return c, err
	}
	if c.Deleted() {
		return c, CaseStudyGone()
	}
	return c, nil
}

// repliesCollection builds the replies collection of c with its first page
// embedded (page 0), or page n alone.
func (s *Documents) repliesCollection(ctx context.Context, c models.CaseStudy, page int) (Collection, error) {
	id := c.IRI + "/replies"
	n := page
	if n == 0 {
		n = 1
	}
	rs, total, err := s.store.Notes.Discussion(ctx, c.ID, RepliesPageSize, (n-1)*RepliesPageSize)
	if err != nil {
		return Collection{}, err
	}
	if page > 1 && len(rs) == 0 {
		return Collection{}, apperr.Errorf(apperr.NotFound, "no page %d of replies", page)
	}
	first := Collection{OrderedItems: []any{}}
	apdoc.PageLinks(&first, id, n, total, RepliesPageSize)
	for _, r := range rs {
		first.OrderedItems = append(first.OrderedItems, r.IRI)
	}
	if page > 0 {
		first.TotalItems = &total
		return first, nil
	}
	return Collection{ID: id, Type: "OrderedCollection", TotalItems: &total, First: first}, nil
}

// ReplyView is a reply as the API and the case study page show it.
type ReplyView struct {
	ID      string    `json:"id"`
	URL     string    `json:"url"`
	Author  ActorView `json:"author"`
	Content string    `json:"content"`
	// Summary is the content warning; a Sensitive reply is shown folded
	// behind it.
	Summary   string `json:"summary,omitempty"`
	Sensitive bool   `json:"sensitive"`
	Published string `json:"published"`
}

// ReplyPage is one page of a case study's discussion, RepliesPageSize
// replies at most, oldest first.
type ReplyPage struct {
	Items []ReplyView
	// Total counts every reply; Page is this page's number, from 1, of
	// Pages (at least 1).
	Total       int64
	Page, Pages int
}

// Start is the number of the page's first reply in the whole discussion.
func (p ReplyPage) Start() int { return (p.Page-1)*RepliesPageSize + 1 }

// Replies lists page n (from 1) of the replies to the local case study
// slug. It returns models.ErrNotFound, a 410 *apperr.Error for a deleted case
// study, or a 404 *apperr.Error for a page past the last.
func (s *Documents) Replies(ctx context.Context, slug string, n int) (ReplyPage, error) {
	c, err := s.liveCaseStudy(ctx, slug)
	if err != nil {
		return ReplyPage{}, err
	}
	n = max(n, 1)
	rs, total, err := s.store.Notes.Discussion(ctx, c.ID, RepliesPageSize, (n-1)*RepliesPageSize)
	if err != nil {
		return ReplyPage{}, err
	}
	p := ReplyPage{Items: make([]ReplyView, 0, len(rs)), Total: total, Page: n, Pages: max(int((total+RepliesPageSize-1)/RepliesPageSize), 1)}
	if n > p.Pages {
		return ReplyPage{}, apperr.Errorf(apperr.NotFound, "no page %d of replies", n)
	}
	for _, r := range rs {
		p.Items = append(p.Items, ReplyView{ID: r.IRI, URL: r.URL, Author: toActorView(r.Author), Content: r.Content, Summary: r.Summary, Sensitive: r.Sensitive, Published: Time(r.Published)})
	}
	return p, nil
}
