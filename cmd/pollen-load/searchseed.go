package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/pollen-coop/pollen/cmd/pollen-load/corpus"
	"github.com/pollen-coop/pollen/models"
)

// seedBatch is how many case studies one transaction stores.
const seedBatch = 10_000

// seedSearch fills the store with the corpus of o (o.caseStudies case
// studies from o.organisations organisations), showing its progress on
// progress, and reports whether it stored any. It does nothing when the
// store already holds exactly that many case studies (a database kept
// from an earlier run), carries on after the last batch stored when it
// holds fewer (an interrupted run: the case studies are the same
// whatever the run), and refuses a store holding any other number.
func seedSearch(ctx context.Context, o options, store *models.Store, progress io.Writer) (bool, error) {
	have, err := store.CaseStudies.Search(ctx, models.CaseStudySearch{Limit: 1})
	if err != nil {
		return false, err
	}
	start := int(have.Total)
	switch {
	case start == o.caseStudies:
		return false, nil
	case start > o.caseStudies || start%seedBatch != 0:
		return false, fmt.Errorf("the database holds %d case studies, not %d: start from an empty one", have.Total, o.caseStudies)
	}
	orgs := make([]corpus.Organisation, o.organisations)
	actors := make([]int64, o.organisations)
	for i := range orgs {
		orgs[i] = corpus.OrganisationAt(i)
		iri := "https://" + orgs[i].Host + "/actor"
		a := models.Actor{IRI: iri, Type: "Organization", Handle: "org", Host: orgs[i].Host, Name: orgs[i].Name,
			Inbox: iri + "/inbox", KeyID: iri + "#main-key", PublicKeyPEM: "PUBLIC"}
		if err := store.Actors.UpsertRemote(ctx, &a); err != nil {
			return false, err
		}
		actors[i] = a.ID
	}
	bar := progressbar.NewOptions(o.caseStudies, progressbar.OptionSetWriter(progress),
		progressbar.OptionSetDescription("case studies"), progressbar.OptionShowCount(), progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("rows"), progressbar.OptionThrottle(250*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(progress) }))
	_ = bar.Set(start)
	for from := start; from < o.caseStudies; from += seedBatch {
		var b models.StatusBatch
		for i := from; i < min(from+seedBatch, o.caseStudies); i++ {
			k := corpus.Author(i, o.organisations)
			c, _ := corpus.CaseStudy(i, orgs[k], actors[k])
			b.CaseStudies = append(b.CaseStudies, c)
		}
		if err := createBatch(ctx, store, b); err != nil {
			return false, err
		}
		_ = bar.Add(len(b.CaseStudies))
	}
	_ = bar.Finish()
	// As a bulk import does: the full-text index in one segment.
	return true, store.CaseStudies.OptimizeSearch(ctx)
}

// createBatch stores b, again after a pause when SQLite's write lock
// stayed taken longer than its busy timeout (the node's own background
// writes run beside the fill; the batch was rolled back), up to five
// times.
func createBatch(ctx context.Context, store *models.Store, b models.StatusBatch) error {
	for try := 1; ; try++ {
		err := store.CreateStatuses(ctx, b)
		if err == nil || try == 5 || !strings.Contains(err.Error(), "SQLITE_BUSY") {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(2 * time.Second):
		}
	}
}
