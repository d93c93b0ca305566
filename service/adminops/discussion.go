package adminops

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// Atomic runs a change in one transaction and makes the served documents
// show it (*federation.Service's Atomically: a case study's Article
// lists its replies).
type Atomic interface {
	Atomically(ctx context.Context, fn func(tx *models.Store) error) error
}

// Discussion is the moderation of the received notes: listing them,
// hiding one (kept, but on no page, in no replies collection and no
// timeline), showing it again, deleting it.
type Discussion struct {
	store *models.Store
	fed   Atomic
}

// NewDiscussion makes the moderation of the notes in store, changed
// through fed.
func NewDiscussion(store *models.Store, fed Atomic) *Discussion {
	return &Discussion{store: store, fed: fed}
}

// Reply is a received note as the admin area shows it.
type Reply struct {
	ID                                  int64
	IRI, URL, Content, Summary          string
	InReplyTo                           string
	Published                           time.Time
	Hidden                              bool
	AuthorIRI, AuthorName, AuthorHandle string
	// CaseTitle and CasePath name the local case study the note discusses
	// ("" for none).
	CaseTitle, CasePath string
}

// ReplyPage is a page of received notes, newest first.
type ReplyPage struct {
	Items       []Reply
	Total       int64
	Page, Pages int
}

// ReplyPageSize is how many notes a page lists.
const ReplyPageSize = 20

// Page returns page n (from 1) of the received notes, hidden ones
// included, newest first, or the store's error.
func (d *Discussion) Page(ctx context.Context, n int) (ReplyPage, error) {
	n = max(n, 1)
	rows, total, err := d.store.Discussion.List(ctx, ReplyPageSize, (n-1)*ReplyPageSize)
	if err != nil {
		return ReplyPage{}, err
	}
	p := ReplyPage{Items: []Reply{}, Total: total, Page: n, Pages: max(int((total+ReplyPageSize-1)/ReplyPageSize), 1)}
	for _, r := range rows {
		v := Reply{ID: r.ID, IRI: r.IRI, URL: r.URL, Content: r.Content, Summary: r.Summary, InReplyTo: r.InReplyTo,
			Published: r.Published, Hidden: r.HiddenAt != nil, AuthorIRI: r.AuthorIRI, AuthorName: r.AuthorName,
			AuthorHandle: r.AuthorHandle, CaseTitle: r.CaseTitle}
		if r.CaseSlug != nil {
			v.CasePath = "/case-studies/" + *r.CaseSlug
		}
		p.Items = append(p.Items, v)
	}
	return p, nil
}

// Reply returns the received note with the row id, or a not found error.
func (d *Discussion) Reply(ctx context.Context, id int64) (Reply, error) {
	r, err := d.store.Discussion.ByID(ctx, id)
	if err != nil {
		return Reply{}, err
	}
	return Reply{ID: r.ID, IRI: r.IRI, URL: r.URL, Content: r.Content, Summary: r.Summary, Published: r.Published,
		Hidden: r.HiddenAt != nil, AuthorIRI: r.AuthorIRI, AuthorName: r.AuthorName, AuthorHandle: r.AuthorHandle, CaseTitle: r.CaseTitle}, nil
}

// Hide hides the received note id (hidden true) or shows it again; the
// served documents are rebuilt. It returns a not found error when there
// is no such note, or the store's error.
func (d *Discussion) Hide(ctx context.Context, id int64, hidden bool) error {
	action := HidReply
	if !hidden {
		action = ShowedReply
	}
	return d.fed.Atomically(ctx, func(tx *models.Store) error {
		r, err := tx.Discussion.ByID(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.Discussion.SetHidden(ctx, id, hidden); err != nil {
			return err
		}
		return record(ctx, tx, action, r.IRI, "by "+r.AuthorHandle)
	})
}

// Delete deletes the received note id for good (its author may send it
// again); the served documents are rebuilt. It returns a not found error
// when there is no such note, or the store's error.
func (d *Discussion) Delete(ctx context.Context, id int64) error {
	return d.fed.Atomically(ctx, func(tx *models.Store) error {
		r, err := tx.Discussion.ByID(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.Notes.Delete(ctx, r.IRI); err != nil {
			return err
		}
		return record(ctx, tx, DeletedReply, r.IRI, "by "+r.AuthorHandle)
	})
}
