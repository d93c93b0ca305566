package federation

import (
	"context"
	"net/http"

	"github.com/pollen-coop/pollen/models"
)

// RepliesPageSize is how many replies one page of a replies collection
// holds.
const RepliesPageSize = 20

// RepliesCollection returns the replies collection of the local case study
// slug (page 0), or one page of it: the IRIs of the notes that reply to it,
// oldest first. It returns models.ErrNotFound, or a 410 *Error for a
// deleted case study.
func (s *Service) RepliesCollection(ctx context.Context, slug string, page int) (Collection, error) {
	c, err := s.liveCaseStudy(ctx, slug)
	if err != nil {
		return Collection{}, err
	}
	col, err := s.repliesCollection(ctx, c, page)
	if err != nil {
		return Collection{}, err
	}
	col.Context = Context
	return col, nil
}

// repliesCollection builds the replies collection of c with its first page
// embedded (page 0), or page n alone.
func (s *Service) repliesCollection(ctx context.Context, c models.CaseStudy, page int) (Collection, error) {
	id := c.IRI + "/replies"
	n := page
	if n == 0 {
		n = 1
	}
	rs, total, err := s.store.Replies(ctx, c.ID, RepliesPageSize, (n-1)*RepliesPageSize)
	if err != nil {
		return Collection{}, err
	}
	if page > 1 && len(rs) == 0 {
		return Collection{}, Errorf(http.StatusNotFound, "no page %d of replies", page)
	}
	first := Collection{OrderedItems: []any{}}
	pageLinks(&first, id, n, total, RepliesPageSize)
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

// Replies lists the replies to the local case study slug, oldest first.
func (s *Service) Replies(ctx context.Context, slug string) ([]ReplyView, error) {
	c, err := s.liveCaseStudy(ctx, slug)
	if err != nil {
		return nil, err
	}
	rs, _, err := s.store.Replies(ctx, c.ID, 200, 0)
	if err != nil {
		return nil, err
	}
	out := make([]ReplyView, 0, len(rs))
	for _, r := range rs {
		out = append(out, ReplyView{ID: r.IRI, URL: r.URL, Author: toActorView(r.Author), Content: r.Content, Summary: r.Summary, Sensitive: r.Sensitive, Published: Time(r.Published)})
	}
	return out, nil
}
