package service

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// CaseStudyPage is the absolute URL of v's page on the node configured by
// cfg: /case-studies/{slug} for one of its own, /feed/items/{status id}
// for one received from a peer.
func CaseStudyPage(cfg config.Config, v CaseStudyView) string {
	if v.Local && v.Slug != "" {
		return cfg.URL("/case-studies/" + v.Slug)
	}
	return cfg.URL("/feed/items/" + strconv.FormatInt(v.StatusID, 10))
}

// ReceivedCaseStudy returns the case study received from a peer whose
// status id is id, as this node stored it. It returns a NotFound
// *apperr.Error for an id that names none (or names one of this node's
// own), a 410 *apperr.Error if its author deleted it, or the store's
// error.
func (s *CaseStudies) ReceivedCaseStudy(ctx context.Context, id string) (CaseStudyView, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return CaseStudyView{}, apperr.Errorf(apperr.NotFound, "no case study %q here", id)
	}
	c, err := s.store.CaseStudies.ByStatusID(ctx, n)
	if errors.Is(err, models.ErrNotFound) {
		return CaseStudyView{}, apperr.Errorf(apperr.NotFound, "no case study %q here", id)
	}
	if err != nil {
		return CaseStudyView{}, err
	}
	if c.Deleted() {
		return CaseStudyView{}, federation.CaseStudyGone()
	}
	return s.caseStudyView(ctx, c, models.Actor{})
}

// LastChange returns when this node last stored a change to any case
// study, its own or received, deletions included: the Last-Modified of
// every list of them. It returns the zero time when there is none, or the
// store's error.
func (s *CaseStudies) LastChange(ctx context.Context) (time.Time, error) {
	return s.store.CaseStudies.LastChange(ctx)
}
