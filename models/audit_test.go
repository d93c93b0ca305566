package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// TestDrafts: a draft is counted and listed only when asked for, is not
// found by its public slug or IRI, and is in no timeline, on both
// databases; once published it takes its place everywhere.
func TestDrafts(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s, a := storeWithActor(t, db)
		pub, draft, gone := newCaseStudy(a.ID, "pub", 1), newCaseStudy(a.ID, "draft", 2), newCaseStudy(a.ID, "gone", 3)
		draft.Draft = true
		draft.Title, draft.Tags = "A quiet draft", models.StringList{"Libraries", "quiet"}
		for _, c := range []*models.CaseStudy{&pub, &draft, &gone} {
			if err := s.CaseStudies.Create(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.CaseStudies.Delete(ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		if p, d, err := s.CaseStudies.CountLocal(ctx); err != nil || p != 1 || d != 1 {
			t.Errorf("CountLocal = %d, %d, %v; want 1, 1", p, d, err)
		}
		slugs := func(q models.CaseStudyQuery) string {
			t.Helper()
			cs, total, err := s.CaseStudies.List(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			out := ""
			for _, c := range cs {
				out += *c.Slug + " "
			}
			return out + "(" + string(rune('0'+total)) + ")"
		}
		for _, tt := range []struct {
			q    models.CaseStudyQuery
			want string
		}{
			{models.CaseStudyQuery{}, "pub (1)"},
			{models.CaseStudyQuery{Drafts: true}, "draft pub (2)"},
			{models.CaseStudyQuery{Drafts: true, Deleted: true}, "gone draft pub (3)"},
			{models.CaseStudyQuery{Drafts: true, Deleted: true, TitleText: "QUIET"}, "draft (1)"},
			{models.CaseStudyQuery{Tag: "libraries"}, "pub (1)"},
		} {
			if got := slugs(tt.q); got != tt.want {
				t.Errorf("List(%+v) = %q, want %q", tt.q, got, tt.want)
			}
		}
		if tags, err := s.CaseStudies.SearchTags(ctx, "qui", 10, 0); err != nil || len(tags) != 0 {
			t.Errorf("a draft's own tag is found: %q, %v", tags, err)
		}
		if _, err := s.CaseStudies.BySlug(ctx, "draft"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("BySlug(draft) = %v, want not found", err)
		}
		if _, err := s.CaseStudies.ByIRI(ctx, draft.IRI); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ByIRI(draft) = %v, want not found", err)
		}
		if c, err := s.CaseStudies.AnyBySlug(ctx, "draft"); err != nil || !c.Draft {
			t.Errorf("AnyBySlug(draft) = %v, %v", c.Draft, err)
		}
		if _, err := s.Timelines.ByStatusID(ctx, draft.StatusID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("draft's status = %v, want not found", err)
		}
		inTimeline := func(id int64) bool {
			t.Helper()
			page, err := s.Timelines.Page(ctx, models.TimelineQuery{Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page {
				if e.ID == id && e.Kind == models.KindCaseStudy {
					return true
				}
			}
			return false
		}
		if inTimeline(draft.ID) || !inTimeline(pub.ID) {
			t.Errorf("public timeline: draft in it %v, published in it %v", inTimeline(draft.ID), inTimeline(pub.ID))
		}

		draft.Draft, draft.Published = false, base.Add(10*time.Hour)
		old := draft.StatusID
		if err := s.CaseStudies.Publish(ctx, &draft); err != nil {
			t.Fatal(err)
		}
		if draft.StatusID == old || !inTimeline(draft.ID) {
			t.Errorf("published draft: status id %d (was %d), in the timeline %v", draft.StatusID, old, inTimeline(draft.ID))
		}
		if got := slugs(models.CaseStudyQuery{Tag: "libraries"}); got != "draft pub (2)" {
			t.Errorf("tag after publishing = %q", got)
		}
		if tags, err := s.CaseStudies.SearchTags(ctx, "qui", 10, 0); err != nil || len(tags) != 1 {
			t.Errorf("the published draft's tag: %q, %v", tags, err)
		}
	})
}

// TestAuditLog: entries are listed newest first and paged, and those
// older than the cut-off purged, on both databases.
func TestAuditLog(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		for i, action := range []string{models.AuditSavedDraft, models.AuditPublished, models.AuditEdited, models.AuditDeleted} {
			e := models.AuditEntry{UserID: 7, Who: "asha@example.org", Action: action, Target: "libraries", At: base.Add(time.Duration(i) * 24 * time.Hour)}
			if err := s.Audit.Record(ctx, &e); err != nil {
				t.Fatal(err)
			}
		}
		rows, total, err := s.Audit.List(ctx, 2, 1)
		if err != nil || total != 4 || len(rows) != 2 || rows[0].Action != models.AuditEdited || rows[1].Action != models.AuditPublished {
			t.Fatalf("List(2, 1) = %+v, %d, %v", rows, total, err)
		}
		if n, err := s.Audit.Purge(ctx, base.Add(36*time.Hour)); err != nil || n != 2 {
			t.Errorf("Purge = %d, %v; want 2", n, err)
		}
		if _, total, _ := s.Audit.List(ctx, 10, 0); total != 2 {
			t.Errorf("left after purge: %d", total)
		}
	})
}
