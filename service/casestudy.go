package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// Federation is what case studies need of the protocol engine
// (*federation.Service): the organisation's actor, the IRIs it gives, and
// the activities that tell followers of a change, queued in the
// transaction that stores it.
type Federation interface {
	LocalActor(ctx context.Context) (models.Actor, error)
	CaseStudyIRI(slug string) string
	Atomically(ctx context.Context, fn func(tx *models.Store) error) error
	QueueCreate(ctx context.Context, tx *models.Store, c models.CaseStudy, author models.Actor) error
	QueueUpdate(ctx context.Context, tx *models.Store, c models.CaseStudy, author models.Actor) error
	QueueDelete(ctx context.Context, tx *models.Store, c models.CaseStudy, author models.Actor) error
}

// CaseStudies publishes, edits, deletes, reads and lists the node's case
// studies.
type CaseStudies struct {
	cfg   config.Config
	store *models.Store
	fed   Federation
	log   *slog.Logger
	now   func() time.Time
}

// NewCaseStudies makes the case studies of the node configured by cfg,
// over store, announcing changes through fed, dating them by now (nil:
// time.Now).
func NewCaseStudies(cfg config.Config, store *models.Store, fed Federation, log *slog.Logger, now func() time.Time) *CaseStudies {
	if now == nil {
		now = time.Now
	}
	return &CaseStudies{cfg: cfg, store: store, fed: fed, log: log, now: now}
}

// CaseStudyView is a case study as the JSON API shows it.
type CaseStudyView struct {
	ID string `json:"id"`
	// StatusID is its status id: a received case study's page on this
	// node is /feed/items/{StatusID} (see CaseStudyPage).
	StatusID         int64      `json:"-"`
	Slug             string     `json:"slug,omitempty"`
	URL              string     `json:"url"`
	Local            bool       `json:"local"`
	Author           AuthorView `json:"author"`
	Title            string     `json:"title"`
	Summary          string     `json:"summary"`
	Body             string     `json:"body,omitempty"`
	Content          string     `json:"content"`
	OrganisationType string     `json:"organisation_type,omitempty"`
	ServiceArea      string     `json:"service_area,omitempty"`
	Region           string     `json:"region,omitempty"`
	Stage            string     `json:"stage,omitempty"`
	Outcomes         []string   `json:"outcomes"`
	Savings          *Savings   `json:"savings,omitempty"`
	OwnershipModel   string     `json:"ownership_model,omitempty"`
	Lessons          []string   `json:"lessons"`
	Contact          *Contact   `json:"contact,omitempty"`
	Tags             []string   `json:"tags"`
	// Hashtags are the hashtags peers see: the service area's, then the tags.
	Hashtags    []string     `json:"hashtags"`
	Attachments []Attachment `json:"attachments"`
	Published   time.Time    `json:"published"`
	Updated     time.Time    `json:"updated"`
	// Draft marks a case study saved but not published.
	Draft bool `json:"draft,omitempty"`
}

// AuthorView names the actor a case study is attributed to.
type AuthorView struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Handle string `json:"handle"`
	URL    string `json:"url,omitempty"`
}

// CaseStudyList is one page of case studies.
type CaseStudyList struct {
	Items  []CaseStudyView `json:"items"`
	Total  int64           `json:"total"`
	Limit  int             `json:"limit"`
	Offset int             `json:"offset"`
}

// PublishCaseStudy validates in and stores it as a new local case study,
// with the Create that tells followers (none for a draft: in.Draft) and
// its audit entry, in one transaction. It returns a
// 422 *apperr.Error naming bad fields, a 409 *apperr.Error if
// in.Slug is taken, or the store's error.
func (s *CaseStudies) PublishCaseStudy(ctx context.Context, in CaseStudyInput) (CaseStudyView, error) {
	if err := in.normalise(s.defaults()); err != nil {
		return CaseStudyView{}, err
	}
	author, err := s.fed.LocalActor(ctx)
	if err != nil {
		return CaseStudyView{}, err
	}
	slug, err := s.freeSlug(ctx, in)
	if err != nil {
		return CaseStudyView{}, err
	}
	now := s.now().UTC().Truncate(time.Second)
	c := models.CaseStudy{
		IRI: s.fed.CaseStudyIRI(slug), Slug: &slug, Local: true, ActorID: author.ID,
		Published: now, Updated: now,
	}
	c.URL = c.IRI
	if in.Published != nil && !in.Published.IsZero() && in.Published.Before(now) {
		c.Published = in.Published.UTC().Truncate(time.Second)
		// Not edited since: a later "updated" would show it as edited.
		c.Updated = c.Published
	}
	if err := applyInput(&c, in); err != nil {
		return CaseStudyView{}, err
	}
	c.Draft = in.Draft
	// Stored, announced (unless a draft) and audited together: a node
	// stopped at any moment has all or none.
	err = s.fed.Atomically(ctx, func(tx *models.Store) error {
		if err := tx.CaseStudies.Create(ctx, &c); err != nil {
			return err
		}
		if c.Draft {
			return audit(ctx, tx, models.AuditSavedDraft, c)
		}
		if err := s.fed.QueueCreate(ctx, tx, c, author); err != nil {
			return err
		}
		return audit(ctx, tx, models.AuditPublished, c)
	})
	if errors.Is(err, models.ErrConflict) {
		return CaseStudyView{}, apperr.Errorf(apperr.Conflict, "the slug %q is taken", slug)
	}
	if err != nil {
		return CaseStudyView{}, err
	}
	s.log.Info("published case study", "id", c.IRI)
	return s.caseStudyView(ctx, c, author)
}

// freeSlug is in.Slug, which must be free, or a free slug made from the title.
func (s *CaseStudies) freeSlug(ctx context.Context, in CaseStudyInput) (string, error) {
	if in.Slug != "" {
		taken, err := s.store.CaseStudies.SlugTaken(ctx, in.Slug)
		if err != nil {
			return "", err
		}
		if taken {
			return "", apperr.Errorf(apperr.Conflict, "the slug %q is taken", in.Slug)
		}
		return in.Slug, nil
	}
	base := Slugify(in.Title)
	for i := 1; i < 1000; i++ {
		slug := base
		if i > 1 {
			slug = fmt.Sprintf("%s-%d", base, i)
		}
		taken, err := s.store.CaseStudies.SlugTaken(ctx, slug)
		if err != nil {
			return "", err
		}
		if !taken {
			return slug, nil
		}
	}
	return "", apperr.Errorf(apperr.Conflict, "no free slug for %q", in.Title)
}

// UpdateCaseStudy replaces the fields of the local case study slug with in,
// and queues the Update that tells followers in the same transaction; a
// draft stays one while in.Draft, and is published (its Create queued)
// otherwise. An edit that leaves every field as it was stores, sends and
// audits nothing. It returns models.ErrNotFound, a 410 *apperr.Error if it was
// deleted, a 422 *apperr.Error naming bad fields (draft, for a published
// case study that in.Draft would take back), or the store's error.
func (s *CaseStudies) UpdateCaseStudy(ctx context.Context, slug string, in CaseStudyInput) (CaseStudyView, error) {
	if _, err := s.EditableCaseStudy(ctx, slug); err != nil {
		return CaseStudyView{}, err
	}
	v, _, err := s.updateCaseStudy(ctx, slug, in)
	return v, err
}

// updateCaseStudy is UpdateCaseStudy of a case study known to exist; it
// reports whether the edit changed anything.
func (s *CaseStudies) updateCaseStudy(ctx context.Context, slug string, in CaseStudyInput) (CaseStudyView, bool, error) {
	in.Slug = ""
	if err := in.normalise(s.defaults()); err != nil {
		return CaseStudyView{}, false, err
	}
	var (
		c      models.CaseStudy
		author models.Actor
	)
	err := s.fed.Atomically(ctx, func(tx *models.Store) error {
		var err error
		if c, author, err = lockLiveCaseStudy(ctx, tx, slug); err != nil {
			return err
		}
		return s.saveEdit(ctx, tx, &c, author, in)
	})
	changed := !errors.Is(err, errUnchanged)
	if err != nil && changed {
		return CaseStudyView{}, false, err
	}
	if changed {
		s.log.Info("updated case study", "id", c.IRI)
	}
	v, err := s.caseStudyView(ctx, c, author)
	return v, changed, err
}

// DeleteCaseStudy deletes the local case study slug, and queues the Delete
// that tells followers in the same transaction; its IRI then answers 410
// with a Tombstone. It returns models.ErrNotFound, a 410 *apperr.Error
// if it was deleted already, or the store's error.
func (s *CaseStudies) DeleteCaseStudy(ctx context.Context, slug string) error {
	var c models.CaseStudy
	err := s.fed.Atomically(ctx, func(tx *models.Store) error {
		var (
			author models.Actor
			err    error
		)
		if c, author, err = lockLiveCaseStudy(ctx, tx, slug); err != nil {
			return err
		}
		if err := tx.CaseStudies.Delete(ctx, c.ID); err != nil {
			return err
		}
		if err := audit(ctx, tx, models.AuditDeleted, c); err != nil || c.Draft {
			// A draft was never announced: there is nothing to take back.
			return err
		}
		return s.fed.QueueDelete(ctx, tx, c, author)
	})
	if err != nil {
		return err
	}
	s.log.Info("deleted case study", "id", c.IRI)
	return nil
}

// lockLiveCaseStudy reads the local case study slug and its author in tx,
// holding the row until tx ends, so that concurrent edits and deletes of
// one case study take turns: each edit is dated after the one before, and
// none brings back a deleted case study.
func lockLiveCaseStudy(ctx context.Context, tx *models.Store, slug string) (models.CaseStudy, models.Actor, error) {
	c, err := tx.CaseStudies.LockBySlug(ctx, slug)
	if err != nil {
		return c, models.Actor{}, err
	}
	if c.Deleted() {
		return c, models.Actor{}, federation.CaseStudyGone()
	}
	author, err := tx.Actors.ByID(ctx, c.ActorID)
	return c, author, err
}

// editTime is the time of an edit of c made at now: now to the
// millisecond, but at least a millisecond after c's publication and its
// last edit, so that each edit has its own Update id and an "updated"
// that reads later than "published" and than the last "updated" (a clock
// that went back, or two edits within a millisecond, move it on).
func editTime(c models.CaseStudy, now time.Time) time.Time {
	t := now.UTC().Truncate(time.Millisecond)
	last := c.Updated
	if c.Published.After(last) {
		last = c.Published
	}
	if floor := last.UTC().Truncate(time.Millisecond).Add(time.Millisecond); t.Before(floor) {
		return floor
	}
	return t
}

// CaseStudy returns the local case study slug. It returns models.ErrNotFound,
// a 410 *apperr.Error if it was deleted, or the store's error.
func (s *CaseStudies) CaseStudy(ctx context.Context, slug string) (CaseStudyView, error) {
	c, err := s.liveCaseStudy(ctx, slug)
	if err != nil {
		return CaseStudyView{}, err
	}
	return s.caseStudyView(ctx, c, models.Actor{})
}

// liveCaseStudy is the local case study slug, or models.ErrNotFound, or a
// 410 *apperr.Error if it was deleted.
func (s *CaseStudies) liveCaseStudy(ctx context.Context, slug string) (models.CaseStudy, error) {
	c, err := s.store.CaseStudies.BySlug(ctx, slug)
	if err != nil {
		return c, err
	}
	if c.Deleted() {
		return c, federation.CaseStudyGone()
	}
	return c, nil
}

// CaseStudyFilter is what a list of case studies may be filtered and paged
// by, as the API and the pages take it from the URL. Zero fields do not
// filter; a Limit out of 1 to 100 is 20.
type CaseStudyFilter struct {
	// LocalOnly keeps this node's own case studies.
	LocalOnly        bool
	OrganisationType string
	ServiceArea      string
	Region           string
	Stage            string
	Tag              string
	// Text matches the title, summary and body, case-insensitively.
	Text   string
	Limit  int
	Offset int
}

// query is f as the store takes it.
func (f CaseStudyFilter) query() models.CaseStudyQuery {
	return models.CaseStudyQuery{
		LocalOnly: f.LocalOnly, OrganisationType: f.OrganisationType, ServiceArea: f.ServiceArea,
		Region: f.Region, Stage: f.Stage, Tag: f.Tag, Text: f.Text, Limit: f.Limit, Offset: f.Offset,
	}
}

// ListCaseStudies returns a page of case studies matching f, newest first,
// or the store's error.
func (s *CaseStudies) ListCaseStudies(ctx context.Context, f CaseStudyFilter) (CaseStudyList, error) {
	q := f.query()
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 20
	}
	cs, total, err := s.store.CaseStudies.List(ctx, q)
	if err != nil {
		return CaseStudyList{}, err
	}
	list := CaseStudyList{Items: make([]CaseStudyView, 0, len(cs)), Total: total, Limit: q.Limit, Offset: q.Offset}
	authors := map[int64]models.Actor{}
	for _, c := range cs {
		author, ok := authors[c.ActorID]
		if !ok {
			if author, err = s.store.Actors.ByID(ctx, c.ActorID); err != nil {
				return CaseStudyList{}, err
			}
			authors[c.ActorID] = author
		}
		list.Items = append(list.Items, toView(c, author))
	}
	return list, nil
}

// caseStudyView converts a row; author is loaded unless given.
func (s *CaseStudies) caseStudyView(ctx context.Context, c models.CaseStudy, author models.Actor) (CaseStudyView, error) {
	if author.ID != c.ActorID || author.IRI == "" {
		a, err := s.store.Actors.ByID(ctx, c.ActorID)
		if err != nil {
			return CaseStudyView{}, err
		}
		author = a
	}
	return toView(c, author), nil
}

func toView(c models.CaseStudy, author models.Actor) CaseStudyView {
	v := CaseStudyView{
		ID: c.IRI, StatusID: c.StatusID, URL: c.URL, Local: c.Local,
		Author: AuthorView{ID: author.IRI, Name: author.Name, Handle: author.Handle + "@" + author.Host, URL: author.URL},
		Title:  c.Title, Summary: c.Summary, Body: c.Body, Content: c.Content,
		OrganisationType: c.OrganisationType, ServiceArea: c.ServiceArea, Region: c.Region, Stage: c.Stage,
		Outcomes: nonNil(c.Outcomes), OwnershipModel: c.OwnershipModel, Lessons: nonNil(c.Lessons),
		Tags: nonNil(c.Tags), Attachments: []Attachment{},
		Published: c.Published, Updated: c.Updated, Draft: c.Draft,
	}
	if c.Slug != nil {
		v.Slug = *c.Slug
	}
	v.Hashtags = federation.Hashtags(c)
	if c.SavingsAmount != "" || c.SavingsCurrency != "" {
		v.Savings = &Savings{Amount: json.Number(c.SavingsAmount), Currency: c.SavingsCurrency, Period: c.SavingsPeriod}
	}
	if c.ContactName != "" {
		v.Contact = &Contact{Name: c.ContactName, Role: c.ContactRole, Email: c.ContactEmail}
	}
	for _, a := range c.Attachments {
		v.Attachments = append(v.Attachments, Attachment(a))
	}
	return v
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// applyInput copies validated input onto a row and renders its body.
func applyInput(c *models.CaseStudy, in CaseStudyInput) error {
	content, err := renderMarkdown(in.Body)
	if err != nil {
		return err
	}
	c.Title, c.Summary, c.Body, c.Content = in.Title, in.Summary, in.Body, content
	c.OrganisationType, c.ServiceArea, c.Region, c.Stage = in.OrganisationType, in.ServiceArea, in.Region, in.Stage
	c.Outcomes, c.Lessons, c.Tags = in.Outcomes, in.Lessons, in.Tags
	c.OwnershipModel = in.OwnershipModel
	c.SavingsAmount, c.SavingsCurrency, c.SavingsPeriod = "", "", ""
	if in.Savings != nil {
		c.SavingsAmount, c.SavingsCurrency, c.SavingsPeriod = string(in.Savings.Amount), in.Savings.Currency, in.Savings.Period
	}
	c.ContactName, c.ContactRole, c.ContactEmail = "", "", ""
	if in.Contact != nil {
		c.ContactName, c.ContactRole, c.ContactEmail = in.Contact.Name, in.Contact.Role, in.Contact.Email
	}
	c.Attachments = nil
	for _, a := range in.Attachments {
		c.Attachments = append(c.Attachments, models.Attachment(a))
	}
	return nil
}
