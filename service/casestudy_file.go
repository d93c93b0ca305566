package service

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// ParseCaseStudyFile reads a Markdown file with YAML front matter between
// "---" lines: the front matter carries the fields, the rest is the body.
// Without a slug in the front matter, the file's name (less .md) is the
// slug, so publishing the same file again updates the same case study. It
// returns a 400 *apperr.Error for a file it cannot read.
func ParseCaseStudyFile(name string, data []byte) (CaseStudyInput, error) {
	var in CaseStudyInput
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		return in, apperr.Errorf(apperr.Invalid, "%s: the file must start with YAML front matter between --- lines", name)
	}
	front, body, ok := strings.Cut(rest, "\n---\n")
	if !ok {
		front, ok = strings.CutSuffix(rest, "\n---")
		if !ok {
			return in, apperr.Errorf(apperr.Invalid, "%s: the front matter has no closing --- line", name)
		}
	}
	dec := yaml.NewDecoder(strings.NewReader(front))
	dec.KnownFields(true)
	if err := dec.Decode(&in); err != nil && !errors.Is(err, io.EOF) {
		return in, apperr.Errorf(apperr.Invalid, "%s: front matter: %s", name, err.Error())
	}
	if strings.TrimSpace(body) != "" {
		in.Body = strings.TrimSpace(body)
	}
	if in.Slug == "" {
		in.Slug = Slugify(strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)))
	}
	return in, nil
}

// Upserted is what UpsertCaseStudy did.
type Upserted int

// What UpsertCaseStudy can do.
const (
	// UpsertPublished published a new case study, or a draft.
	UpsertPublished Upserted = iota + 1
	// UpsertUpdated edited a published case study and sent the Update.
	UpsertUpdated
	// UpsertUnchanged found the case study as given: nothing was stored,
	// sent or audited.
	UpsertUnchanged
	// UpsertDraft saved a draft, new or edited.
	UpsertDraft
)

// UpsertCaseStudy publishes in under in.Slug (without one, the title
// made a slug), or updates the case study that has it, and says which it
// did. It returns a 410 *apperr.Error if that slug belonged to a deleted
// case study, a 422 *apperr.Error for bad fields, or the store's error.
func (s *CaseStudies) UpsertCaseStudy(ctx context.Context, in CaseStudyInput) (CaseStudyView, Upserted, error) {
	if in.Slug == "" {
		in.Slug = Slugify(in.Title)
	}
	old, err := s.store.CaseStudies.AnyBySlug(ctx, in.Slug)
	switch {
	case errors.Is(err, models.ErrNotFound):
		v, err := s.PublishCaseStudy(ctx, in)
		return v, upserted(v, UpsertPublished), err
	case err != nil:
		return CaseStudyView{}, 0, err
	case old.Deleted():
		return CaseStudyView{}, 0, federation.CaseStudyGone()
	}
	v, changed, err := s.updateCaseStudy(ctx, in.Slug, in)
	switch {
	case err != nil:
		return v, 0, err
	case !changed:
		return v, UpsertUnchanged, nil
	case old.Draft && !v.Draft:
		return v, UpsertPublished, nil
	}
	return v, upserted(v, UpsertUpdated), nil
}

// upserted is what, for a case study saved as v, otherwise did.
func upserted(v CaseStudyView, otherwise Upserted) Upserted {
	if v.Draft {
		return UpsertDraft
	}
	return otherwise
}

// ValidateCaseStudy checks in with the rules of the API's 422, as
// PublishCaseStudy and UpdateCaseStudy would, storing nothing. It returns
// a 422 *apperr.Error naming each bad field.
func (s *CaseStudies) ValidateCaseStudy(in CaseStudyInput) error {
	in.Attachments = slices.Clone(in.Attachments)
	if in.Savings != nil {
		savings := *in.Savings
		in.Savings = &savings
	}
	if in.Contact != nil {
		contact := *in.Contact
		in.Contact = &contact
	}
	return in.normalise(s.defaults())
}
