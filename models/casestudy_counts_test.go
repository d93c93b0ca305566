package models_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/models/policy"
	"github.com/pollen-coop/pollen/testrig"
)

// TestSearchCountsKeptInStep checks, after each kind of write (create,
// edit, delete, a draft published, a block and its removal, a bulk
// import, an actor gone), that the total, the facet counts and the
// evidence of every case study, read from the counts kept as case
// studies are written, are those counted from the case studies
// themselves: the same search with a filter that keeps every case study
// (and so counts them row by row), and the case studies listed.
func TestSearchCountsKeptInStep(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := searchFixture(t, db)
		check := func(step string) {
			t.Helper()
			for _, local := range []bool{false, true} {
				q := models.CaseStudySearch{WithFacets: true, LocalOnly: local, Limit: 100}
				counted, err := s.CaseStudies.Search(ctx, q)
				if err != nil {
					t.Fatalf("%s: search: %v", step, err)
				}
				q.PublishedAfter = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
				scanned, err := s.CaseStudies.Search(ctx, q)
				if err != nil {
					t.Fatalf("%s: search: %v", step, err)
				}
				listed, total, err := s.CaseStudies.List(ctx, models.CaseStudyQuery{LocalOnly: local, Limit: 1000})
				if err != nil {
					t.Fatalf("%s: list: %v", step, err)
				}
				if counted.Total != total || scanned.Total != total || len(counted.Hits) != len(listed) {
					t.Errorf("%s (local %v): totals %d counted, %d scanned, %d hits; want %d", step, local, counted.Total, scanned.Total, len(counted.Hits), total)
				}
				if !reflect.DeepEqual(counted.Facets, scanned.Facets) {
					t.Errorf("%s (local %v): counted facets\n%v\nwant\n%v", step, local, counted.Facets, scanned.Facets)
				}
				regions := map[string]int64{}
				for _, c := range listed {
					regions[c.Region]++
				}
				got := map[string]int64{}
				for _, fc := range counted.Facets["region"] {
					got[fc.Value] = fc.Count
				}
				delete(regions, "")
				if len(regions) > 0 && !reflect.DeepEqual(got, regions) {
					t.Errorf("%s (local %v): regions %v, want %v", step, local, got, regions)
				}
				q.PublishedAfter, q.WithFacets = time.Time{}, false
				ev, err := s.CaseStudies.Evidence(ctx, q)
				if err != nil {
					t.Fatalf("%s: evidence: %v", step, err)
				}
				q.PublishedAfter = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
				want, err := s.CaseStudies.Evidence(ctx, q)
				if err != nil {
					t.Fatalf("%s: evidence: %v", step, err)
				}
				if !reflect.DeepEqual(ev, want) {
					t.Errorf("%s (local %v): counted evidence\n%+v\nwant\n%+v", step, local, ev, want)
				}
			}
		}
		check("created")

		a, err := s.Actors.ByIRI(ctx, "https://a.example/actors/org")
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.Actors.ByIRI(ctx, "https://b.example/actors/org")
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.CaseStudies.AnyBySlug(ctx, "mutual-title")
		if err != nil {
			t.Fatal(err)
		}
		c.Region, c.Stage, c.Tags, c.SavingsCurrency, c.SavingsPeriod = "Wales", "scaling", models.StringList{"co-op", "Wales"}, "EUR", "month"
		if err := s.CaseStudies.Save(ctx, &c); err != nil {
			t.Fatal(err)
		}
		check("edited")

		e, err := s.CaseStudies.AnyBySlug(ctx, "ecole")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CaseStudies.Delete(ctx, e.ID); err != nil {
			t.Fatal(err)
		}
		check("deleted")

		d := newCaseStudy(a.ID, "draft", 40)
		d.Draft, d.Region = true, "Scotland"
		if err := s.CaseStudies.Create(ctx, &d); err != nil {
			t.Fatal(err)
		}
		check("draft")
		d.Draft = false
		if err := s.CaseStudies.Publish(ctx, &d); err != nil {
			t.Fatal(err)
		}
		check("published")

		rule := policy.Rule{Kind: policy.KindBlockActor, Value: b.IRI}
		if _, err := s.Policy.Add(ctx, &rule); err != nil {
			t.Fatal(err)
		}
		check("blocked")
		if err := s.Policy.Remove(ctx, policy.KindBlockActor, b.IRI); err != nil {
			t.Fatal(err)
		}
		check("unblocked")

		var batch models.StatusBatch
		for i, region := range []string{"London", "Wales", ""} {
			c := newCaseStudy(b.ID, "bulk-"+region, 50+i)
			c.IRI, c.Slug, c.Local, c.Region = "https://b.example/case-studies/bulk-"+region, nil, false, region
			batch.CaseStudies = append(batch.CaseStudies, c)
		}
		if err := s.CreateStatuses(ctx, batch); err != nil {
			t.Fatal(err)
		}
		check("imported")

		if err := s.Actors.DeleteContentOf(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		check("actor gone")

		if err := s.RedoSearchFacets(); err != nil {
			t.Fatalf("step018 again: %v", err)
		}
		check("filled by step018")
		if res, err := s.CaseStudies.Search(ctx, models.CaseStudySearch{Limit: 1}); err != nil || res.Total != 2 {
			t.Errorf("after step018: %d case studies, %v; want 2", res.Total, err)
		}
	})
}

// TestSearchCountsKeptBetweenChanges: the counts of every case study are
// read once and kept while nothing changes; a write of this process shows
// in the next answer at once, one of another process (a second store on
// the same database) once the kept answer is models.CountsMaxAge old.
func TestSearchCountsKeptBetweenChanges(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		other, a := storeWithActor(t, db)
		var mu sync.Mutex
		at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return at }
		s, err := models.Open(ctx, db.DSN, models.WithClock(clock))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		total := func(step string, want int64) {
			t.Helper()
			for _, facets := range []bool{false, true} {
				res, err := s.CaseStudies.Search(ctx, models.CaseStudySearch{WithFacets: facets})
				if err != nil {
					t.Fatalf("%s: search: %v", step, err)
				}
				ev, err := s.CaseStudies.Evidence(ctx, models.CaseStudySearch{})
				if err != nil {
					t.Fatalf("%s: evidence: %v", step, err)
				}
				if res.Total != want || ev.Total != want || len(res.Hits) != int(want) {
					t.Errorf("%s (facets %v): total %d, evidence %d, %d hits; want %d", step, facets, res.Total, ev.Total, len(res.Hits), want)
				}
				if facets && want > 0 && (len(res.Facets["region"]) != 1 || res.Facets["region"][0].Count != want) {
					t.Errorf("%s: region counts %v, want %d", step, res.Facets["region"], want)
				}
			}
		}
		total("empty", 0)
		c := newCaseStudy(a.ID, "mine", 0)
		if err := s.CaseStudies.Create(ctx, &c); err != nil {
			t.Fatal(err)
		}
		total("written here", 1)
		c2 := newCaseStudy(a.ID, "theirs", 1)
		if err := other.CaseStudies.Create(ctx, &c2); err != nil {
			t.Fatal(err)
		}
		// The hits are read every time; the counts are kept.
		res, err := s.CaseStudies.Search(ctx, models.CaseStudySearch{WithFacets: true})
		if err != nil || res.Total != 1 || len(res.Hits) != 2 {
			t.Errorf("written elsewhere, at once: total %d, %d hits (%v); want the kept total 1 and 2 hits", res.Total, len(res.Hits), err)
		}
		mu.Lock()
		at = at.Add(models.CountsMaxAge)
		mu.Unlock()
		total("written elsewhere, later", 2)
		// A transaction's reads are never kept: what it wrote may be
		// rolled back.
		rolledBack := errors.New("rolled back")
		err = s.Atomically(ctx, func(tx *models.Store) error {
			c3 := newCaseStudy(a.ID, "rolled-back", 2)
			if err := tx.CaseStudies.Create(ctx, &c3); err != nil {
				return err
			}
			if res, err := tx.CaseStudies.Search(ctx, models.CaseStudySearch{WithFacets: true}); err != nil || res.Total != 3 {
				t.Errorf("in the transaction: total %d (%v), want 3", res.Total, err)
			}
			return rolledBack
		})
		if !errors.Is(err, rolledBack) {
			t.Fatal(err)
		}
		total("rolled back", 2)
	})
}
