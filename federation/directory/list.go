package directory

import (
	"context"

	"github.com/pollen-coop/pollen/models"
)

// MaxLimit is the most nodes one page lists (Mastodon's limit for its
// directory).
const MaxLimit = 80

// Entry is one node of the directory: the actor that speaks for it, what
// the directory knows of it, and whether the organisation follows it
// (accepted).
type Entry struct {
	Actor     models.Actor
	Node      models.DirectoryNode
	Following bool
}

// Query selects a page of the directory as Mastodon's /api/v1/directory
// does: Order "active" (the latest case study first; the default) or
// "new" (the latest known first), Local for this node's own only, Limit
// (1 to MaxLimit, 40 when 0) and Offset.
type Query struct {
	Order         string
	Local         bool
	Limit, Offset int
}

// Page is a page of the directory and how many nodes the query selects.
type Page struct {
	Entries []Entry
	Total   int64
}

// List returns a page of the directory. It returns the store's errors.
func (d *Directory) List(ctx context.Context, q Query) (Page, error) {
	if q.Limit <= 0 {
		q.Limit = 40
	}
	q.Limit = min(q.Limit, MaxLimit)
	rows, total, err := d.store.Nodes.List(ctx, models.NodeQuery{Order: q.Order, LocalOnly: q.Local, Limit: q.Limit, Offset: max(q.Offset, 0)})
	if err != nil {
		return Page{}, err
	}
	local, err := d.store.Actors.Local(ctx, d.cfg.Handle)
	if err != nil {
		return Page{}, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ActorID
	}
	states, err := d.store.Actors.FollowStatesWith(ctx, local.ID, ids)
	if err != nil {
		return Page{}, err
	}
	following := map[int64]bool{}
	for _, s := range states {
		following[s.ID] = s.Out == models.FollowAccepted
	}
	p := Page{Total: total, Entries: make([]Entry, 0, len(rows))}
	for _, r := range rows {
		a, err := d.store.Actors.ByID(ctx, r.ActorID)
		if err != nil {
			return Page{}, err
		}
		p.Entries = append(p.Entries, Entry{Actor: a, Node: r.Node, Following: following[r.ActorID]})
	}
	return p, nil
}
