package models

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// Note visibilities: public notes show on public timelines, unlisted ones
// only to followers and on their author's profile.
const (
	VisibilityPublic   = "public"
	VisibilityUnlisted = "unlisted"
)

// Note is a short post: one of this node's (Local, posted from a client)
// or one received from the fediverse, a reply or a post of its own. A
// note in reply to one of this node's case studies, directly or down a
// thread, joins that case study's discussion (CaseStudyID). A local note
// that is deleted keeps its row (DeletedAt set, its text emptied), so
// that its IRI answers 410 and is never reused.
type Note struct {
	ID        int64  `gorm:"primaryKey"`
	IRI       string `gorm:"uniqueIndex:idx_notes_iri;not null"`
	StatusID  int64  `gorm:"uniqueIndex:idx_notes_status_id;not null"`
	ActorID   int64  `gorm:"not null;index:idx_notes_actor_id"`
	Local     bool   `gorm:"not null;default:false"`
	URL       string `gorm:"not null;default:''"`
	Content   string `gorm:"not null;default:''"` // sanitised HTML
	Source    string `gorm:"not null;default:''"` // the plain text posted, local notes only
	Summary   string `gorm:"not null;default:''"` // the content warning, plain text
	Sensitive bool   `gorm:"not null;default:false"`
	// Visibility is VisibilityPublic or VisibilityUnlisted.
	Visibility string `gorm:"not null;default:'public'"`
	// InReplyTo is the IRI of the status it answers, "" for none.
	InReplyTo   string      `gorm:"not null;default:'';index:idx_notes_in_reply_to"`
	CaseStudyID *int64      `gorm:"index:idx_notes_case_study_id"`
	Hashtags    StringList  `gorm:"not null;default:'[]'"`
	Mentions    MentionList `gorm:"not null;default:'[]'"`
	Published   time.Time   `gorm:"not null"`
	Updated     time.Time
	DeletedAt   *time.Time
	// HiddenAt is when the staff hid a received note (nil: shown).
	HiddenAt  *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Deleted reports whether the note has been deleted.
func (n Note) Deleted() bool { return n.DeletedAt != nil }

// Mention is an actor a note mentions.
type Mention struct {
	IRI  string `json:"iri"`
	Acct string `json:"acct"`
	URL  string `json:"url,omitempty"`
}

// MentionList is a list of mentions kept as JSON text.
type MentionList []Mention

// Value stores the list as JSON text.
func (l MentionList) Value() (driver.Value, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]Mention(l))
	return string(b), err
}

// Scan reads the list from JSON text.
func (l *MentionList) Scan(src any) error { return dbconn.ScanJSON(src, l) }

// NoteWithActor is a note with its author.
type NoteWithActor struct {
	Note
	Author Actor
}

// NoteStore reads and writes notes. Reach it as Store.Notes.
type NoteStore struct{ conn }

// Create inserts a note with its hashtags, giving it its status id;
// ErrConflict if its IRI is taken.
func (s *NoteStore) Create(ctx context.Context, n *Note) error {
	if n.StatusID == 0 {
		n.StatusID = StatusID(n.Published, n.IRI)
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(n).Error; err != nil {
			return err
		}
		return setTags(tx, n.StatusID, n.Hashtags)
	})
	return translate(err, "create note %q", n.IRI)
}

// Save inserts a received note or replaces the content of the one with
// the same IRI by the same author, with its hashtags. A note belongs to its
// author: when the one stored with that IRI is another actor's, it changes
// nothing and returns ErrConflict.
func (s *NoteStore) Save(ctx context.Context, n *Note) error {
	if n.StatusID == 0 {
		n.StatusID = StatusID(n.Published, n.IRI)
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "iri"}},
			DoUpdates: clause.AssignmentColumns([]string{"content", "summary", "sensitive", "url", "hashtags",
				"mentions", "updated", "updated_at"}),
			Where: clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: "notes.actor_id = excluded.actor_id"}}},
		}).Create(n)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		var stored Note
		if err := tx.Where("iri = ?", n.IRI).First(&stored).Error; err != nil {
			return err
		}
		*n = stored
		return setTags(tx, n.StatusID, n.Hashtags)
	})
	return translate(err, "save note %q", n.IRI)
}

// ByIRI returns a note, deleted or not, or ErrNotFound.
func (s *NoteStore) ByIRI(ctx context.Context, iri string) (Note, error) {
	var n Note
	err := s.db.WithContext(ctx).Where("iri = ?", iri).First(&n).Error
	return n, translate(err, "get note %q", iri)
}

// ByID returns a note by row id, deleted or not, or ErrNotFound.
func (s *NoteStore) ByID(ctx context.Context, id int64) (Note, error) {
	var n Note
	err := s.db.WithContext(ctx).First(&n, id).Error
	return n, translate(err, "get note %d", id)
}

// Delete removes a received note and its hashtags; ErrNotFound if there
// is none.
func (s *NoteStore) Delete(ctx context.Context, iri string) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var n Note
		if err := tx.Where("iri = ? AND local = ?", iri, false).First(&n).Error; err != nil {
			return err
		}
		if err := tx.Delete(&n).Error; err != nil {
			return err
		}
		return setTags(tx, n.StatusID, nil)
	})
	return translate(err, "delete note %q", iri)
}

// Tombstone marks a local note deleted and empties its text; ErrNotFound
// if there is none, ErrGone if it was already deleted.
func (s *NoteStore) Tombstone(ctx context.Context, id int64) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var n Note
		if err := tx.Where("id = ? AND local = ?", id, true).First(&n).Error; err != nil {
			return err
		}
		if n.DeletedAt != nil {
			return ErrGone
		}
		now := s.now().UTC()
		err := tx.Model(&n).Updates(map[string]any{"deleted_at": now, "updated": now, "content": "", "source": "",
			"summary": "", "hashtags": StringList{}, "mentions": MentionList{}}).Error
		if err != nil {
			return err
		}
		return setTags(tx, n.StatusID, nil)
	})
	return translate(err, "delete note %d", id)
}

// Discussion lists a case study's public discussion, oldest first, with
// the total; hidden notes and the replies of blocked actors and domains
// are left out.
func (s *NoteStore) Discussion(ctx context.Context, caseStudyID int64, limit, offset int) ([]NoteWithActor, int64, error) {
	db := s.db.WithContext(ctx).Model(&Note{}).
		Where("case_study_id = ? AND deleted_at IS NULL AND hidden_at IS NULL AND visibility = ?", caseStudyID, VisibilityPublic).Where(notHidden)
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "count the discussion")
	}
	var ns []Note
	if err := db.Order("published, id").Limit(limit).Offset(offset).Find(&ns).Error; err != nil {
		return nil, 0, translate(err, "list the discussion")
	}
	out, err := s.withActors(ctx, ns)
	return out, total, err
}

// RepliesTo lists the undeleted notes in reply to any of the IRIs, oldest
// first, at most limit; hidden notes and those of blocked actors and
// domains are left out.
func (s *NoteStore) RepliesTo(ctx context.Context, iris []string, limit int) ([]Note, error) {
	var ns []Note
	if len(iris) == 0 {
		return ns, nil
	}
	err := s.db.WithContext(ctx).Where("in_reply_to IN ? AND deleted_at IS NULL AND hidden_at IS NULL", iris).Where(notHidden).
		Order("published, id").Limit(limit).Find(&ns).Error
	return ns, translate(err, "list replies")
}

// withActors pairs notes with their authors, loaded in one query.
func (s *NoteStore) withActors(ctx context.Context, ns []Note) ([]NoteWithActor, error) {
	ids := make([]int64, len(ns))
	for i, n := range ns {
		ids[i] = n.ActorID
	}
	actors, err := s.actorsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]NoteWithActor, 0, len(ns))
	for _, n := range ns {
		out = append(out, NoteWithActor{Note: n, Author: actors[n.ActorID]})
	}
	return out, nil
}

// LocalTopLevel lists the node's own undeleted public notes that answer
// nothing, newest first, at most limit.
func (s *NoteStore) LocalTopLevel(ctx context.Context, limit int) ([]Note, error) {
	var ns []Note
	err := s.db.WithContext(ctx).Where("local = ? AND in_reply_to = '' AND visibility = ? AND deleted_at IS NULL", true, VisibilityPublic).
		Order("published DESC, id DESC").Limit(limit).Find(&ns).Error
	return ns, translate(err, "list local notes")
}
