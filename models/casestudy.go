package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/pollen-coop/pollen/models/casesearch"
)

// CaseStudy is a case study: this node's own (Local, with a Slug) or one
// received from a peer. A deleted case study keeps its row with DeletedAt
// set, so that its IRI answers 410 and is never reused.
type CaseStudy struct {
	ID    int64   `gorm:"primaryKey"`
	IRI   string  `gorm:"uniqueIndex;not null"`
	Slug  *string `gorm:"uniqueIndex"`
	Local bool    `gorm:"not null;default:false;index"`
	// ActorID is the author: the actor the case study is attributed to.
	ActorID int64 `gorm:"not null;index"`
	// StatusID is its status id (see StatusID), set when it is created.
	StatusID int64 `gorm:"not null;default:0;index"`
	URL      string
	// Draft marks a local case study saved but not published: no page,
	// list, feed, timeline or ActivityPub document shows it, and no
	// activity told anyone of it.
	Draft bool `gorm:"not null;default:false"`

	Title            string `gorm:"not null"`
	Summary          string
	Body             string // Markdown source
	Content          string // sanitised HTML
	OrganisationType string `gorm:"index"`
	ServiceArea      string `gorm:"index"`
	Region           string `gorm:"index"`
	Stage            string `gorm:"index"`
	Outcomes         StringList
	SavingsAmount    string // a decimal number as text, empty when not given
	SavingsCurrency  string
	SavingsPeriod    string
	OwnershipModel   string
	Lessons          StringList
	ContactName      string
	ContactRole      string
	ContactEmail     string
	Tags             StringList
	Attachments      AttachmentList
	// Extra keeps extension terms of a received object that Pollen does
	// not know, as a JSON object.
	Extra string

	Published time.Time  `gorm:"not null;index"`
	Updated   time.Time  `gorm:"not null"`
	DeletedAt *time.Time `gorm:"index"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Deleted reports whether the case study has been deleted.
func (c CaseStudy) Deleted() bool { return c.DeletedAt != nil }

// CaseStudyQuery selects case studies for a list. Zero fields do not filter.
type CaseStudyQuery struct {
	LocalOnly        bool
	ActorID          int64
	OrganisationType string
	ServiceArea      string
	Region           string
	Stage            string
	Tag              string
	// Text matches the title, summary and body, case-insensitively.
	Text string
	// TitleText matches the title alone, case-insensitively.
	TitleText string
	// Drafts and Deleted keep the drafts and the deleted case studies
	// too, as the admin area lists them; otherwise both are left out.
	Drafts, Deleted bool
	Limit           int
	Offset          int
}

// CaseStudyStore reads and writes case studies. Reach it as
// Store.CaseStudies.
type CaseStudyStore struct{ conn }

// Create inserts a case study; ErrConflict if its IRI or slug is
// taken (even by a deleted one).
func (s *CaseStudyStore) Create(ctx context.Context, c *CaseStudy) error {
	if c.StatusID == 0 {
		c.StatusID = StatusID(c.Published, c.IRI)
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(c).Error; err != nil || c.Draft {
			// A draft has no hashtags and no search entry until published:
			// no tag lists it, no search finds it.
			return err
		}
		if err := indexCaseStudy(tx, *c, true); err != nil {
			return err
		}
		if err := setTags(tx, c.StatusID, c.hashtags()); err != nil {
			return err
		}
		return casesearch.Record(tx, []int64{c.ID})
	})
	return translate(err, "create case study %q", c.IRI)
}

// Save updates every field of an existing case study, and its hashtags.
func (s *CaseStudyStore) Save(ctx context.Context, c *CaseStudy) error {
	if c.StatusID == 0 {
		c.StatusID = StatusID(c.Published, c.IRI)
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := casesearch.Forget(tx, []int64{c.ID}); err != nil {
			return err
		}
		if err := tx.Save(c).Error; err != nil {
			return err
		}
		if err := indexCaseStudy(tx, *c, false); err != nil {
			return err
		}
		tags := c.hashtags()
		if c.DeletedAt != nil || c.Draft {
			tags = nil
		}
		if err := setTags(tx, c.StatusID, tags); err != nil {
			return err
		}
		return casesearch.Record(tx, []int64{c.ID})
	})
	return translate(err, "save case study %q", c.IRI)
}

// hashtags are the names of the case study's hashtags: its service
// area's and its tags.
func (c CaseStudy) hashtags() []string {
	return append([]string{c.ServiceArea}, c.Tags...)
}

// BySlug returns the local case study with the given slug, deleted
// or not, or ErrNotFound; a draft is not found (see AnyBySlug).
func (s *CaseStudyStore) BySlug(ctx context.Context, slug string) (CaseStudy, error) {
	var c CaseStudy
	err := s.db.WithContext(ctx).Where("slug = ? AND local = ? AND draft = ?", slug, true, false).First(&c).Error
	return c, translate(err, "get case study %q", slug)
}

// AnyBySlug returns the local case study with the given slug, draft,
// deleted or published, or ErrNotFound: what the admin area edits.
func (s *CaseStudyStore) AnyBySlug(ctx context.Context, slug string) (CaseStudy, error) {
	var c CaseStudy
	err := s.db.WithContext(ctx).Where("slug = ? AND local = ?", slug, true).First(&c).Error
	return c, translate(err, "get case study %q", slug)
}

// ByIRI returns the case study with the given IRI, deleted or not,
// or ErrNotFound; a draft is not found.
func (s *CaseStudyStore) ByIRI(ctx context.Context, iri string) (CaseStudy, error) {
	var c CaseStudy
	err := s.db.WithContext(ctx).Where("iri = ? AND draft = ?", iri, false).First(&c).Error
	return c, translate(err, "get case study %q", iri)
}

// ByStatusID returns the case study received from a peer with the given
// status id, deleted or not, or ErrNotFound (for a local one too, and
// one of a blocked actor or domain).
func (s *CaseStudyStore) ByStatusID(ctx context.Context, id int64) (CaseStudy, error) {
	var c CaseStudy
	err := s.db.WithContext(ctx).Where("status_id = ? AND local = ?", id, false).Where(notHidden).Order("id").First(&c).Error
	return c, translate(err, "get case study %d", id)
}

// LastChange returns when this node last stored a change to any case
// study, deleted ones included (the rows' UpdatedAt, not the times their
// authors claim); the zero time when there is none.
func (s *CaseStudyStore) LastChange(ctx context.Context) (time.Time, error) {
	var c CaseStudy
	err := s.db.WithContext(ctx).Select("updated_at").Order("updated_at DESC").Limit(1).Find(&c).Error
	return c.UpdatedAt, translate(err, "last case study change")
}

// CountLocal counts the node's own case studies that are published and
// those that are drafts, deleted ones left out.
func (s *CaseStudyStore) CountLocal(ctx context.Context) (published, drafts int64, err error) {
	var rows []struct {
		Draft bool
		N     int64
	}
	err = s.db.WithContext(ctx).Model(&CaseStudy{}).Select("draft, COUNT(*) AS n").
		Where("local = ? AND deleted_at IS NULL", true).Group("draft").Scan(&rows).Error
	for _, r := range rows {
		if r.Draft {
			drafts = r.N
		} else {
			published = r.N
		}
	}
	return published, drafts, translate(err, "count local case studies")
}

// SlugTaken reports whether a local case study, deleted or not, has the slug.
func (s *CaseStudyStore) SlugTaken(ctx context.Context, slug string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&CaseStudy{}).Where("slug = ?", slug).Count(&n).Error
	return n > 0, translate(err, "check slug %q", slug)
}

// Delete marks the case study deleted and clears its content; the
// row stays so the IRI is never reused. ErrNotFound if there is none,
// ErrGone if it was already deleted.
func (s *CaseStudyStore) Delete(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		var c CaseStudy
		if err := tx.First(&c, id).Error; err != nil {
			return translate(err, "delete case study %d", id)
		}
		if c.DeletedAt != nil {
			return translate(ErrGone, "delete case study %d", id)
		}
		if err := casesearch.Forget(tx, []int64{id}); err != nil {
			return translate(err, "delete case study %d", id)
		}
		if err := tx.Model(&c).Updates(tombstoneColumns(s.now().UTC())).Error; err != nil {
			return translate(err, "delete case study %d", id)
		}
		if err := casesearch.Index(tx, casesearch.Doc{ID: id}); err != nil {
			return translate(err, "delete case study %d", id)
		}
		return translate(setTags(tx, c.StatusID, nil), "delete case study %d", id)
	})
}

// tombstoneColumns are what deleting a case study sets: the time, and the
// text and the contact emptied; the title stays for the tombstone.
func tombstoneColumns(now time.Time) map[string]any {
	return map[string]any{
		"deleted_at": now, "updated": now, "body": "", "content": "", "summary": "",
		"contact_name": "", "contact_role": "", "contact_email": "",
	}
}

// List returns the case studies that match q, newest first, with
// the number that match in all. Deleted ones are left out, and so are
// those of blocked actors and domains.
func (s *CaseStudyStore) List(ctx context.Context, q CaseStudyQuery) ([]CaseStudy, int64, error) {
	db := s.db.WithContext(ctx).Model(&CaseStudy{}).Where(notHidden)
	if !q.Deleted {
		db = db.Where("deleted_at IS NULL")
	}
	if !q.Drafts {
		db = db.Where("draft = ?", false)
	}
	if q.LocalOnly {
		db = db.Where("local = ?", true)
	}
	if q.ActorID != 0 {
		db = db.Where("actor_id = ?", q.ActorID)
	}
	for _, f := range [...]struct{ col, value string }{
		{"organisation_type", q.OrganisationType}, {"service_area", q.ServiceArea},
		{"region", q.Region}, {"stage", q.Stage},
	} {
		if f.value != "" {
			db = db.Where(s.lower(f.col)+" = ?", strings.ToLower(f.value))
		}
	}
	if q.Tag != "" {
		db = db.Where("status_id IN (SELECT status_id FROM status_tags WHERE name = ?)", HashtagKey(q.Tag))
	}
	if q.Text != "" {
		pat := "%" + likeEscape(strings.ToLower(q.Text)) + "%"
		db = db.Where(`(`+s.lower("title")+` LIKE ? ESCAPE '\' OR `+s.lower("summary")+` LIKE ? ESCAPE '\' OR `+s.lower("body")+` LIKE ? ESCAPE '\')`, pat, pat, pat)
	}
	if q.TitleText != "" {
		db = db.Where(s.lower("title")+` LIKE ? ESCAPE '\'`, "%"+likeEscape(strings.ToLower(q.TitleText))+"%")
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "count case studies")
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	var cs []CaseStudy
	err := db.Order("published DESC, id DESC").Limit(limit).Offset(q.Offset).Find(&cs).Error
	return cs, total, translate(err, "list case studies")
}

// likeEscape escapes the wildcards of a LIKE pattern (used with ESCAPE '\'),
// so that "co_op" matches only itself.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Publish saves a draft c that is being published: its status id is made
// anew from its publication time, so that it takes its place in the
// timelines as of now, and its hashtags move with it.
func (s *CaseStudyStore) Publish(ctx context.Context, c *CaseStudy) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := casesearch.Forget(tx, []int64{c.ID}); err != nil {
			return err
		}
		if err := setTags(tx, c.StatusID, nil); err != nil {
			return err
		}
		c.StatusID = StatusID(c.Published, c.IRI)
		if err := tx.Save(c).Error; err != nil {
			return err
		}
		if err := indexCaseStudy(tx, *c, false); err != nil {
			return err
		}
		if err := setTags(tx, c.StatusID, c.hashtags()); err != nil {
			return err
		}
		return casesearch.Record(tx, []int64{c.ID})
	})
	return translate(err, "publish case study %q", c.IRI)
}
