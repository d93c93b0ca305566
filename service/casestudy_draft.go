package service

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// errUnchanged ends the transaction of an edit that would change nothing.
var errUnchanged = errors.New("service: case study unchanged")

// saveEdit applies in to c, locked in tx, and stores it with what tells
// followers and its audit entry: an edit of a published case study
// queues its Update; a draft saved as a draft queues nothing; a draft
// published is dated now and queues its Create. An edit that leaves
// every field as it was stores, queues and audits nothing, and returns
// errUnchanged.
func (s *CaseStudies) saveEdit(ctx context.Context, tx *models.Store, c *models.CaseStudy, author models.Actor, in CaseStudyInput) error {
	wasDraft := c.Draft
	if !wasDraft && in.Draft {
		return apperr.InvalidFields(map[string]string{"draft": "a published case study cannot become a draft again: delete it instead"})
	}
	before := *c
	if err := applyInput(c, in); err != nil {
		return err
	}
	if wasDraft == in.Draft && sameContent(before, *c) {
		return errUnchanged
	}
	switch {
	case wasDraft && in.Draft:
		c.Updated = editTime(*c, s.now())
		if err := tx.CaseStudies.Save(ctx, c); err != nil {
			return err
		}
		return audit(ctx, tx, models.AuditSavedDraft, *c)
	case wasDraft:
		now := s.now().UTC().Truncate(time.Second)
		c.Draft, c.Published, c.Updated = false, now, now
		if err := tx.CaseStudies.Publish(ctx, c); err != nil {
			return err
		}
		if err := s.fed.QueueCreate(ctx, tx, *c, author); err != nil {
			return err
		}
		return audit(ctx, tx, models.AuditPublished, *c)
	}
	c.Updated = editTime(*c, s.now())
	if err := tx.CaseStudies.Save(ctx, c); err != nil {
		return err
	}
	if err := s.fed.QueueUpdate(ctx, tx, *c, author); err != nil {
		return err
	}
	return audit(ctx, tx, models.AuditEdited, *c)
}

// sameContent reports whether a and b hold the same fields that
// applyInput writes (the rendered body among them).
func sameContent(a, b models.CaseStudy) bool {
	return a.Title == b.Title && a.Summary == b.Summary && a.Body == b.Body && a.Content == b.Content &&
		a.OrganisationType == b.OrganisationType && a.ServiceArea == b.ServiceArea && a.Region == b.Region &&
		a.Stage == b.Stage && a.OwnershipModel == b.OwnershipModel && slices.Equal(a.Outcomes, b.Outcomes) &&
		slices.Equal(a.Lessons, b.Lessons) && slices.Equal(a.Tags, b.Tags) && slices.Equal(a.Attachments, b.Attachments) &&
		a.SavingsAmount == b.SavingsAmount && a.SavingsCurrency == b.SavingsCurrency && a.SavingsPeriod == b.SavingsPeriod &&
		a.ContactName == b.ContactName && a.ContactRole == b.ContactRole && a.ContactEmail == b.ContactEmail
}

// EditableCaseStudy returns the local case study slug, a draft or
// published, as the admin area edits it. It returns models.ErrNotFound, a
// 410 *apperr.Error if it was deleted, or the store's error.
func (s *CaseStudies) EditableCaseStudy(ctx context.Context, slug string) (CaseStudyView, error) {
	c, err := s.store.CaseStudies.AnyBySlug(ctx, slug)
	if err != nil {
		return CaseStudyView{}, err
	}
	if c.Deleted() {
		return CaseStudyView{}, federation.CaseStudyGone()
	}
	return s.caseStudyView(ctx, c, models.Actor{})
}
