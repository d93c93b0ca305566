// Package discussion is the store of the received notes as the staff
// moderate them: every note received, newest first, with its author and
// the case study it discusses, and hiding or showing one again. A hidden
// note is kept; the stores of package models leave it out of the pages,
// the replies collections and the timelines.
package discussion

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// Received is a received note as the admin area lists it.
type Received struct {
	ID         int64
	IRI        string
	URL        string
	Content    string // sanitised HTML
	Summary    string
	InReplyTo  string
	Published  time.Time
	HiddenAt   *time.Time
	AuthorIRI  string
	AuthorName string
	// AuthorHandle is the author's handle@host.
	AuthorHandle string
	// CaseTitle and CaseSlug name the local case study the note
	// discusses ("" for none; CaseSlug is nil for a received one).
	CaseTitle string
	CaseSlug  *string
}

// Store reads the received notes and hides or shows them. Reach it as
// Store.Discussion.
type Store struct{ dbconn.Conn }

// receivedQuery reads received notes with their author and case study.
const receivedQuery = `SELECT n.id, n.iri, n.url, n.content, n.summary, n.in_reply_to, n.published, n.hidden_at,
 a.iri AS author_iri, a.name AS author_name, a.handle || '@' || a.host AS author_handle,
 COALESCE(c.title, '') AS case_title, c.slug AS case_slug
 FROM notes n JOIN actors a ON a.id = n.actor_id LEFT JOIN case_studies c ON c.id = n.case_study_id
 WHERE n.local = ? AND n.deleted_at IS NULL`

// List returns received notes, hidden ones included, newest first, at
// most limit from offset, with how many there are in all.
func (s *Store) List(ctx context.Context, limit, offset int) ([]Received, int64, error) {
	var total int64
	err := s.DB.WithContext(ctx).Table("notes").Where("local = ? AND deleted_at IS NULL", false).Count(&total).Error
	if err != nil {
		return nil, 0, dbconn.Translate(err, "count received notes")
	}
	out := []Received{}
	err = s.DB.WithContext(ctx).Raw(receivedQuery+" ORDER BY n.published DESC, n.id DESC LIMIT ? OFFSET ?", false, limit, offset).Scan(&out).Error
	return out, total, dbconn.Translate(err, "list received notes")
}

// ByID returns the received note with the row id, or ErrNotFound.
func (s *Store) ByID(ctx context.Context, id int64) (Received, error) {
	var out []Received
	if err := s.DB.WithContext(ctx).Raw(receivedQuery+" AND n.id = ?", false, id).Scan(&out).Error; err != nil {
		return Received{}, dbconn.Translate(err, "get received note %d", id)
	}
	if len(out) == 0 {
		return Received{}, dbconn.Translate(dbconn.ErrNotFound, "get received note %d", id)
	}
	return out[0], nil
}

// SetHidden hides the received note with the row id (hidden true) or
// shows it again; ErrNotFound if there is no such note.
func (s *Store) SetHidden(ctx context.Context, id int64, hidden bool) error {
	var at any = gorm.Expr("NULL")
	if hidden {
		at = s.Now().UTC()
	}
	res := s.DB.WithContext(ctx).Table("notes").Where("id = ? AND local = ? AND deleted_at IS NULL", id, false).Update("hidden_at", at)
	if res.Error != nil {
		return dbconn.Translate(res.Error, "hide note %d", id)
	}
	if res.RowsAffected == 0 {
		return dbconn.Translate(dbconn.ErrNotFound, "hide note %d", id)
	}
	return nil
}
