package bulkimport

import (
	"context"
	"fmt"

	"github.com/pollen-coop/pollen/service"
)

// Target stores the rows: *service.CaseStudies.
type Target interface {
	UpsertCaseStudy(ctx context.Context, in service.CaseStudyInput) (service.CaseStudyView, service.Upserted, error)
	ValidateCaseStudy(in service.CaseStudyInput) error
}

// Options says how Import stores the rows.
type Options struct {
	// DryRun checks every row with the rules of the API's 422 and stores
	// nothing.
	DryRun bool
	// Draft saves every row as a draft.
	Draft bool
	// Done, if set, is called after each row.
	Done func()
}

// Failure is a row that was not imported, and why.
type Failure struct {
	Source string
	Err    error
}

// Report counts what Import did with the rows.
type Report struct {
	Published, Updated, Unchanged, Drafts int
	// Valid counts the rows a dry run found valid.
	Valid  int
	Failed []Failure
	// NotReached counts the rows left when the import was interrupted.
	NotReached int
	// DryRun is Options.DryRun: nothing was stored.
	DryRun bool
}

// String is the report's summary line.
func (r Report) String() string {
	s := fmt.Sprintf("published %d, updated %d, unchanged %d, drafts %d, failed %d",
		r.Published, r.Updated, r.Unchanged, r.Drafts, len(r.Failed))
	if r.DryRun {
		s = fmt.Sprintf("valid %d, failed %d (a dry run: nothing was stored)", r.Valid, len(r.Failed))
	}
	if r.NotReached > 0 {
		s += fmt.Sprintf(", not reached %d (interrupted)", r.NotReached)
	}
	return s
}

// Import stores the rows with target, in order, each on its own: a row is
// published or updated with what tells followers in one transaction, so
// that a row that fails leaves nothing stored and the others land. The
// same slug (the row's, or its title's) updates the same case study, so
// importing again is safe; a row that changes nothing is counted
// unchanged, and nothing is sent for it. A row whose slug an earlier row
// of the import took fails. Import stops between rows when ctx ends.
func Import(ctx context.Context, target Target, rows []Row, opts Options) Report {
	r := Report{DryRun: opts.DryRun}
	slugs := map[string]string{} // slug → the source of the row that took it
	for i, row := range rows {
		if ctx.Err() != nil {
			r.NotReached = len(rows) - i
			break
		}
		did, err := importRow(ctx, target, row, opts, slugs)
		switch {
		case err != nil:
			r.Failed = append(r.Failed, Failure{Source: row.Source, Err: err})
		case opts.DryRun:
			r.Valid++
		case did == service.UpsertPublished:
			r.Published++
		case did == service.UpsertUpdated:
			r.Updated++
		case did == service.UpsertUnchanged:
			r.Unchanged++
		case did == service.UpsertDraft:
			r.Drafts++
		}
		if opts.Done != nil {
			opts.Done()
		}
	}
	return r
}

// importRow checks or stores one row.
func importRow(ctx context.Context, target Target, row Row, opts Options, slugs map[string]string) (service.Upserted, error) {
	if row.Err != nil {
		return 0, row.Err
	}
	in := row.Input
	in.Draft = in.Draft || opts.Draft
	slug := in.Slug
	if slug == "" {
		slug = service.Slugify(in.Title)
	}
	if first, ok := slugs[slug]; ok {
		return 0, fmt.Errorf("its slug %q is that of %s: a case study is imported once", slug, first)
	}
	var (
		did service.Upserted
		err error
	)
	if opts.DryRun {
		err = target.ValidateCaseStudy(in)
	} else {
		_, did, err = target.UpsertCaseStudy(ctx, in)
	}
	if err == nil {
		slugs[slug] = row.Source
	}
	return did, err
}
