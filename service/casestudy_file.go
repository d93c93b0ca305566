package service

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

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

// UpsertCaseStudy publishes in under in.Slug, or updates the case study
// that has it. It reports whether it published one: created it (as a
// draft when in.Draft), or published the draft it was. It returns a 410
// *apperr.Error if that slug belonged to a deleted case study, a 422
// *apperr.Error for bad fields, or the store's error.
func (s *CaseStudies) UpsertCaseStudy(ctx context.Context, in CaseStudyInput) (CaseStudyView, bool, error) {
	if in.Slug == "" {
		in.Slug = Slugify(in.Title)
	}
	old, err := s.store.CaseStudies.AnyBySlug(ctx, in.Slug)
	switch {
	case errors.Is(err, models.ErrNotFound):
		v, err := s.PublishCaseStudy(ctx, in)
		return v, err == nil, err
	case err != nil:
		return CaseStudyView{}, false, err
	}
	v, err := s.UpdateCaseStudy(ctx, in.Slug, in)
	return v, err == nil && old.Draft && !v.Draft, err
}
