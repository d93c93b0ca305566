package service

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// DashboardCounts are the figures of the admin area's dashboard.
type DashboardCounts struct {
	Published, Drafts, Followers, Following, PendingFollowers, DeadDeliveries int64
}

// Dashboard counts the node's case studies, follows and dead deliveries,
// or returns the store's error.
func (a *Admin) Dashboard(ctx context.Context, handle string) (DashboardCounts, error) {
	var d DashboardCounts
	var err error
	if d.Published, d.Drafts, err = a.store.CaseStudies.CountLocal(ctx); err != nil {
		return d, err
	}
	actor, err := a.store.Actors.Local(ctx, handle)
	if err != nil {
		return d, err
	}
	if _, d.Followers, err = a.store.Follows.Followers(ctx, actor.ID, models.FollowAccepted, 1, 0); err != nil {
		return d, err
	}
	if _, d.PendingFollowers, err = a.store.Follows.Followers(ctx, actor.ID, models.FollowPending, 1, 0); err != nil {
		return d, err
	}
	if _, d.Following, err = a.store.Follows.Following(ctx, actor.ID, models.FollowAccepted, 1, 0); err != nil {
		return d, err
	}
	q, err := a.store.Deliveries.Stats(ctx)
	d.DeadDeliveries = q.Dead
	return d, err
}

// CaseStudyRow is a line of the admin area's list of case studies.
type CaseStudyRow struct {
	Slug, Title string
	// State is "draft", "published" or "deleted".
	State   string
	Updated time.Time
}

// CaseStudyRows is a page of the admin area's list.
type CaseStudyRows struct {
	Items         []CaseStudyRow
	Total         int64
	Offset, Limit int
}

// CaseStudyRows lists the node's own case studies in every state, newest
// first, those whose title holds title when it is not empty, from offset.
func (a *Admin) CaseStudyRows(ctx context.Context, title string, offset int) (CaseStudyRows, error) {
	q := models.CaseStudyQuery{LocalOnly: true, Drafts: true, Deleted: true, TitleText: title, Limit: 50, Offset: max(offset, 0)}
	cs, total, err := a.store.CaseStudies.List(ctx, q)
	if err != nil {
		return CaseStudyRows{}, err
	}
	out := CaseStudyRows{Items: []CaseStudyRow{}, Total: total, Offset: q.Offset, Limit: q.Limit}
	for _, c := range cs {
		r := CaseStudyRow{Title: c.Title, State: "published", Updated: c.Updated}
		if c.Slug != nil {
			r.Slug = *c.Slug
		}
		switch {
		case c.Deleted():
			r.State = "deleted"
		case c.Draft:
			r.State = "draft"
		}
		out.Items = append(out.Items, r)
	}
	return out, nil
}

// Preview renders a case study's Markdown body as its page shows it, or
// returns a 422 *apperr.Error for a body that cannot be.
func Preview(body string) (string, error) {
	return renderMarkdown(body)
}
