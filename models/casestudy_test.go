package models_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// base is a fixed time; case studies are published an hour apart from it.
var base = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)

func newCaseStudy(actorID int64, slug string, hours int) models.CaseStudy {
	iri := "https://a.example/case-studies/" + slug
	return models.CaseStudy{
		IRI: iri, Slug: &slug, Local: true, ActorID: actorID, URL: iri,
		Title: "Case " + slug, Summary: "Summary of " + slug, Body: "Body of " + slug, Content: "<p>Body</p>",
		OrganisationType: "council", ServiceArea: "libraries", Region: "North West", Stage: "operating",
		Outcomes: models.StringList{"first", "second"}, Lessons: models.StringList{"one", "two", "three"},
		SavingsAmount: "125000.50", SavingsCurrency: "GBP", SavingsPeriod: "year",
		ContactName: "Ann", ContactRole: "Director", ContactEmail: "ann@a.example",
		Tags:        models.StringList{"Libraries", "co_op"},
		Attachments: models.AttachmentList{{URL: "https://a.example/report.pdf", MediaType: "application/pdf", Name: "Report"}},
		Published:   base.Add(time.Duration(hours) * time.Hour), Updated: base.Add(time.Duration(hours) * time.Hour),
	}
}

func storeWithActor(t *testing.T, db testrig.DB) (*models.Store, models.Actor) {
	t.Helper()
	s := testrig.Store(t, db)
	a := newActor("https://a.example/actors/org", true)
	if err := s.Actors.Create(context.Background(), &a); err != nil {
		t.Fatalf("create actor: %v", err)
	}
	return s, a
}

func TestCaseStudyCreateGetSave(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s, a := storeWithActor(t, db)

		c := newCaseStudy(a.ID, "library-mutual", 0)
		if err := s.CaseStudies.Create(ctx, &c); err != nil {
			t.Fatalf("create: %v", err)
		}
		got, err := s.CaseStudies.BySlug(ctx, "library-mutual")
		if err != nil {
			t.Fatalf("by slug: %v", err)
		}
		// Every field reads back as written, lists in order.
		want := c
		got.CreatedAt, got.UpdatedAt, want.CreatedAt, want.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		got.Published, got.Updated = got.Published.UTC(), got.Updated.UTC()
		if fmt.Sprintf("%+v", deref(got)) != fmt.Sprintf("%+v", deref(want)) {
			t.Errorf("read back:\n got %+v\nwant %+v", deref(got), deref(want))
		}
		if byIRI, err := s.CaseStudies.ByIRI(ctx, c.IRI); err != nil || byIRI.ID != c.ID {
			t.Errorf("by IRI = %d, %v", byIRI.ID, err)
		}
		if _, err := s.CaseStudies.BySlug(ctx, "nope"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("unknown slug: %v, want ErrNotFound", err)
		}
		if _, err := s.CaseStudies.ByIRI(ctx, "https://a.example/case-studies/nope"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("unknown IRI: %v, want ErrNotFound", err)
		}

		// The same slug (or IRI) cannot be used twice.
		dup := newCaseStudy(a.ID, "library-mutual", 1)
		if err := s.CaseStudies.Create(ctx, &dup); !errors.Is(err, models.ErrConflict) {
			t.Errorf("create with a taken slug: %v, want ErrConflict", err)
		}
		other := newCaseStudy(a.ID, "other", 1)
		other.IRI = c.IRI
		if err := s.CaseStudies.Create(ctx, &other); !errors.Is(err, models.ErrConflict) {
			t.Errorf("create with a taken IRI: %v, want ErrConflict", err)
		}
		if taken, err := s.CaseStudies.SlugTaken(ctx, "library-mutual"); err != nil || !taken {
			t.Errorf("CaseStudies.SlugTaken(used) = %v, %v", taken, err)
		}
		if taken, err := s.CaseStudies.SlugTaken(ctx, "free"); err != nil || taken {
			t.Errorf("CaseStudies.SlugTaken(free) = %v, %v", taken, err)
		}

		got.Title = "New title"
		got.Lessons = models.StringList{"only"}
		got.Attachments = nil
		if err := s.CaseStudies.Save(ctx, &got); err != nil {
			t.Fatalf("save: %v", err)
		}
		again, _ := s.CaseStudies.BySlug(ctx, "library-mutual")
		if again.Title != "New title" || !slices.Equal(again.Lessons, []string{"only"}) || len(again.Attachments) != 0 {
			t.Errorf("after save: %+v", again)
		}
	})
}

// deref makes a comparable copy (the slug is a pointer).
func deref(c models.CaseStudy) any {
	type flat struct {
		models.CaseStudy
		SlugValue string
	}
	f := flat{CaseStudy: c}
	if c.Slug != nil {
		f.SlugValue = *c.Slug
	}
	f.Slug = nil
	return f
}

func TestCaseStudyDeleteKeepsTheRow(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s, a := storeWithActor(t, db)
		c := newCaseStudy(a.ID, "gone", 0)
		if err := s.CaseStudies.Create(ctx, &c); err != nil {
			t.Fatalf("create: %v", err)
		}
		if err := s.CaseStudies.Delete(ctx, c.ID); err != nil {
			t.Fatalf("delete: %v", err)
		}
		got, err := s.CaseStudies.BySlug(ctx, "gone")
		if err != nil {
			t.Fatalf("a deleted case study's row must stay: %v", err)
		}
		if !got.Deleted() || got.Body != "" || got.Content != "" || got.ContactEmail != "" {
			t.Errorf("deleted row keeps content or is not marked: %+v", got)
		}
		if err := s.CaseStudies.Delete(ctx, c.ID); !errors.Is(err, models.ErrGone) {
			t.Errorf("delete twice: %v, want ErrGone", err)
		}
		if err := s.CaseStudies.Delete(ctx, c.ID+1000); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("delete unknown: %v, want ErrNotFound", err)
		}
		// Neither the slug nor the IRI can be used again.
		if taken, _ := s.CaseStudies.SlugTaken(ctx, "gone"); !taken {
			t.Error("the slug of a deleted case study counts as free")
		}
		again := newCaseStudy(a.ID, "gone", 2)
		if err := s.CaseStudies.Create(ctx, &again); !errors.Is(err, models.ErrConflict) {
			t.Errorf("reuse the slug and IRI of a deleted case study: %v, want ErrConflict", err)
		}
		_, total, err := s.CaseStudies.List(ctx, models.CaseStudyQuery{})
		if err != nil || total != 0 {
			t.Errorf("list after delete: total %d, %v; want 0", total, err)
		}
	})
}

func TestListCaseStudies(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s, a := storeWithActor(t, db)
		remote := newActor("https://b.example/actors/peer", false)
		if err := s.Actors.UpsertRemote(ctx, &remote); err != nil {
			t.Fatal(err)
		}
		// Published out of order; "c5" and "c6" share a time (the ID breaks
		// the tie, newest row first).
		specs := []struct {
			slug  string
			hours int
			edit  func(*models.CaseStudy)
		}{
			{"c1", 1, nil},
			{"c3", 3, func(c *models.CaseStudy) { c.Region = "London"; c.Tags = models.StringList{"coop", "École"} }},
			{"c2", 2, func(c *models.CaseStudy) {
				c.Stage, c.Title, c.ServiceArea = "exploring", "100% Leisure", "children's services"
			}},
			{"c4", 4, func(c *models.CaseStudy) { c.OrganisationType = "charity"; c.ServiceArea = "youth services" }},
			{"c5", 5, func(c *models.CaseStudy) { c.Title = "Écoles ouvertes" }},
			{"c6", 5, nil},
			{"r1", 6, func(c *models.CaseStudy) {
				c.Local = false
				c.Slug = nil
				c.ActorID = remote.ID
				c.IRI = "https://b.example/cs/1"
			}},
			{"del", 7, nil},
		}
		ids := map[string]int64{}
		for _, sp := range specs {
			c := newCaseStudy(a.ID, sp.slug, sp.hours)
			if sp.edit != nil {
				sp.edit(&c)
			}
			if err := s.CaseStudies.Create(ctx, &c); err != nil {
				t.Fatalf("create %s: %v", sp.slug, err)
			}
			ids[sp.slug] = c.ID
		}
		if err := s.CaseStudies.Delete(ctx, ids["del"]); err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name  string
			q     models.CaseStudyQuery
			want  []string // titles' slugs, in order
			total int64
		}{
			{"all, newest first", models.CaseStudyQuery{}, []string{"r1", "c6", "c5", "c4", "c3", "c2", "c1"}, 7},
			{"local only", models.CaseStudyQuery{LocalOnly: true}, []string{"c6", "c5", "c4", "c3", "c2", "c1"}, 6},
			{"by actor", models.CaseStudyQuery{ActorID: remote.ID}, []string{"r1"}, 1},
			{"first page", models.CaseStudyQuery{LocalOnly: true, Limit: 2}, []string{"c6", "c5"}, 6},
			{"second page", models.CaseStudyQuery{LocalOnly: true, Limit: 2, Offset: 2}, []string{"c4", "c3"}, 6},
			{"past the end", models.CaseStudyQuery{LocalOnly: true, Limit: 2, Offset: 6}, nil, 6},
			{"region", models.CaseStudyQuery{Region: "london"}, []string{"c3"}, 1},
			{"stage", models.CaseStudyQuery{Stage: "Exploring"}, []string{"c2"}, 1},
			{"organisation type", models.CaseStudyQuery{OrganisationType: "charity"}, []string{"c4"}, 1},
			{"service area", models.CaseStudyQuery{ServiceArea: "Youth Services"}, []string{"c4"}, 1},
			{"tag", models.CaseStudyQuery{Tag: "#COOP"}, []string{"c3"}, 1},
			{"tag with underscore", models.CaseStudyQuery{Tag: "co_op", LocalOnly: true}, []string{"c6", "c5", "c4", "c2", "c1"}, 5},
			{"tag is not a prefix", models.CaseStudyQuery{Tag: "co"}, nil, 0},
			{"tag of a service area", models.CaseStudyQuery{Tag: "youthservices"}, []string{"c4"}, 1},
			{"tag of a service area, any case", models.CaseStudyQuery{Tag: "#YouthServices"}, []string{"c4"}, 1},
			{"tag of a service area with an apostrophe", models.CaseStudyQuery{Tag: "childrensservices"}, []string{"c2"}, 1},
			{"tag or service area", models.CaseStudyQuery{Tag: "coop", LocalOnly: true}, []string{"c3"}, 1},
			{"service area tag is not a prefix", models.CaseStudyQuery{Tag: "youth"}, nil, 0},
			{"text", models.CaseStudyQuery{Text: "case C4"}, []string{"c4"}, 1},
			{"tag with a capital accent, any case", models.CaseStudyQuery{Tag: "école"}, []string{"c3"}, 1},
			{"text with a capital accent, any case", models.CaseStudyQuery{Text: "ÉCOLES"}, []string{"c5"}, 1},
			{"text with percent", models.CaseStudyQuery{Text: "100%"}, []string{"c2"}, 1},
			{"percent is not a wildcard", models.CaseStudyQuery{Text: "%"}, []string{"c2"}, 1},
			{"filters combine", models.CaseStudyQuery{Region: "North West", Stage: "operating", LocalOnly: true, Limit: 1}, []string{"c6"}, 4},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				cs, total, err := s.CaseStudies.List(ctx, tt.q)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, c := range cs {
					got = append(got, slugOf(c))
				}
				if !slices.Equal(got, tt.want) || total != tt.total {
					t.Errorf("got %v (total %d), want %v (total %d)", got, total, tt.want, tt.total)
				}
			})
		}
	})
}

func slugOf(c models.CaseStudy) string {
	if c.Slug != nil {
		return *c.Slug
	}
	return "r1"
}

func TestCaseStudyByStatusIDAndLastChange(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s, a := storeWithActor(t, db)
		if last, err := s.CaseStudies.LastChange(ctx); err != nil || !last.IsZero() {
			t.Fatalf("LastChange of none = %v, %v; want the zero time", last, err)
		}
		own := newCaseStudy(a.ID, "own", 0)
		received := newCaseStudy(a.ID, "received", 1)
		received.Local, received.Slug = false, nil
		for _, c := range []*models.CaseStudy{&own, &received} {
			if err := s.CaseStudies.Create(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.CaseStudies.ByStatusID(ctx, received.StatusID)
		if err != nil || got.IRI != received.IRI {
			t.Fatalf("ByStatusID = %q, %v; want the received one", got.IRI, err)
		}
		for _, id := range []int64{own.StatusID, 0, received.StatusID + 1} {
			if _, err := s.CaseStudies.ByStatusID(ctx, id); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("ByStatusID(%d) = %v, want ErrNotFound (the node's own are found by slug)", id, err)
			}
		}
		before, err := s.CaseStudies.LastChange(ctx)
		if err != nil || before.IsZero() {
			t.Fatalf("LastChange = %v, %v", before, err)
		}
		// A deletion is a change, though the list no longer shows the row.
		if err := s.CaseStudies.Delete(ctx, received.ID); err != nil {
			t.Fatal(err)
		}
		deleted, err := s.CaseStudies.ByStatusID(ctx, received.StatusID)
		if err != nil || !deleted.Deleted() {
			t.Fatalf("ByStatusID of a deleted one = %v, %v; want it, deleted", deleted.Deleted(), err)
		}
		if after, err := s.CaseStudies.LastChange(ctx); err != nil || after.Before(before) || !after.Equal(deleted.UpdatedAt) {
			t.Errorf("LastChange after a deletion = %v, %v; want the deletion's %v (was %v)", after, err, deleted.UpdatedAt, before)
		}
	})
}
