package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

func TestActivities(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		now := time.Now().UTC()
		record := func(iri string) bool {
			t.Helper()
			ok, err := s.Activities.Record(ctx, &models.Activity{IRI: iri, Type: "Create", ActorIRI: "https://b.example/users/one", Payload: "{}", ReceivedAt: now})
			if err != nil {
				t.Fatalf("record %s: %v", iri, err)
			}
			return ok
		}
		if !record("https://b.example/a/1") || !record("https://b.example/a/2") {
			t.Fatal("a new activity was not recorded")
		}
		if record("https://b.example/a/1") {
			t.Error("an activity was recorded twice")
		}

		claim := func(retryBefore, at time.Time) []models.Activity {
			t.Helper()
			as, err := s.Activities.Claim(ctx, models.ActivityClaim{Limit: 10, MaxAttempts: 3, RetryBefore: retryBefore, Now: at, Lease: time.Minute})
			if err != nil {
				t.Fatalf("claim: %v", err)
			}
			return as
		}
		pending := claim(now.Add(time.Minute), now)
		if again := claim(now.Add(time.Minute), now); len(again) != 0 {
			t.Errorf("claimed activities are claimed again within the lease: %+v", again)
		}
		var err error
		if err != nil || len(pending) != 2 || pending[0].IRI != "https://b.example/a/1" {
			t.Fatalf("PendingActivities = %+v, %v", pending, err)
		}
		if err := s.Activities.Finish(ctx, pending[0].ID, nil, 3); err != nil {
			t.Fatal(err)
		}
		// A failure is tried again, but not before the retry time...
		if err := s.Activities.Finish(ctx, pending[1].ID, errors.New("peer down"), 3); err != nil {
			t.Fatal(err)
		}
		if got := claim(now.Add(-time.Minute), now); len(got) != 0 {
			t.Errorf("a just-failed activity is due again at once: %+v", got)
		}
		got := claim(time.Now().Add(time.Minute), now)
		if len(got) != 1 || got[0].Attempts != 1 || got[0].Error != "peer down" {
			t.Errorf("after one failure = %+v", got)
		}
		// ...and given up after the last attempt.
		_ = s.Activities.Finish(ctx, pending[1].ID, errors.New("peer down"), 3)
		_ = s.Activities.Finish(ctx, pending[1].ID, errors.New("peer down"), 3)
		if a, _ := s.Activities.ByIRI(ctx, "https://b.example/a/2"); a.State != models.ActivityFailed {
			t.Errorf("state after 3 failures = %q, want failed", a.State)
		}
		counts, err := s.Activities.Counts(ctx)
		if err != nil || counts[models.ActivityDone] != 1 || counts[models.ActivityFailed] != 1 {
			t.Errorf("Activities.Counts = %v, %v", counts, err)
		}
		if n, err := s.Activities.Purge(ctx, now.Add(time.Second)); err != nil || n != 2 {
			t.Errorf("Activities.Purge = %d, %v; want 2", n, err)
		}
	})
}

func TestReplies(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		local, remotes := followFixture(t, s)
		cs := newCaseStudy(local.ID, "reply-to-me", 0)
		if err := s.CaseStudies.Create(ctx, &cs); err != nil {
			t.Fatal(err)
		}
		base := time.Now().UTC().Truncate(time.Second)
		for i, r := range remotes {
			reply := models.Note{Visibility: models.VisibilityPublic, IRI: r.IRI + "/notes/1", CaseStudyID: &cs.ID, InReplyTo: cs.IRI, ActorID: r.ID, Content: "<p>hello</p>", Published: base.Add(time.Duration(i) * time.Minute)}
			if err := s.Notes.Save(ctx, &reply); err != nil {
				t.Fatal(err)
			}
		}
		edit := models.Note{Visibility: models.VisibilityPublic, IRI: remotes[0].IRI + "/notes/1", CaseStudyID: &cs.ID, InReplyTo: cs.IRI, ActorID: remotes[0].ID, Content: "<p>edited</p>", Published: base}
		if err := s.Notes.Save(ctx, &edit); err != nil {
			t.Fatal(err)
		}
		rs, total, err := s.Notes.Discussion(ctx, cs.ID, 2, 0)
		if err != nil || total != 3 || len(rs) != 2 || rs[0].Content != "<p>edited</p>" || rs[0].Author.IRI != remotes[0].IRI {
			t.Fatalf("Replies.List = %+v, %d, %v; want the edited reply first, 3 in all", rs, total, err)
		}
		if err := s.Notes.Delete(ctx, remotes[1].IRI+"/notes/1"); err != nil {
			t.Fatal(err)
		}
		if err := s.Notes.Delete(ctx, remotes[1].IRI+"/notes/1"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("delete twice: %v, want ErrNotFound", err)
		}
		// An actor that deletes itself takes its replies and case studies.
		theirs := newCaseStudy(remotes[2].ID, "theirs", 1)
		theirs.IRI, theirs.Slug, theirs.Local = "https://c.example/articles/1", nil, false
		if err := s.CaseStudies.Create(ctx, &theirs); err != nil {
			t.Fatal(err)
		}
		if err := s.Actors.DeleteContentOf(ctx, remotes[2].ID); err != nil {
			t.Fatal(err)
		}
		if _, total, _ := s.Notes.Discussion(ctx, cs.ID, 10, 0); total != 1 {
			t.Errorf("replies left = %d, want 1", total)
		}
		if got, _ := s.CaseStudies.ByIRI(ctx, theirs.IRI); !got.Deleted() {
			t.Error("the deleted actor's case study is still live")
		}
	})
}

func TestActivitiesFinishDone(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		now := time.Now().UTC()
		for _, iri := range []string{"https://b.example/a/1", "https://b.example/a/2", "https://b.example/a/3"} {
			if _, err := s.Activities.Record(ctx, &models.Activity{IRI: iri, Type: "Create", ActorIRI: "https://b.example/users/one", Payload: "{}", ReceivedAt: now}); err != nil {
				t.Fatal(err)
			}
		}
		claimed, err := s.Activities.Claim(ctx, models.ActivityClaim{Limit: 10, MaxAttempts: 3, RetryBefore: now.Add(time.Minute), Now: now, Lease: time.Minute, Worker: "w1"})
		if err != nil || len(claimed) != 3 {
			t.Fatalf("claim = %d, %v", len(claimed), err)
		}
		ids := []int64{claimed[0].ID, claimed[1].ID}
		rolledBack := errors.New("rolled back")
		tests := []struct {
			name     string
			finish   func() error
			wantErr  error
			wantDone int64
		}{
			{"in a transaction that rolls back", func() error {
				err := s.Atomically(ctx, func(tx *models.Store) error {
					if err := tx.Activities.FinishDone(ctx, ids); err != nil {
						return err
					}
					return rolledBack
				})
				return err
			}, rolledBack, 0},
			{"an unknown id", func() error { return s.Activities.FinishDone(ctx, []int64{claimed[2].ID + 1000}) }, models.ErrNotFound, 0},
			{"none", func() error { return s.Activities.FinishDone(ctx, nil) }, nil, 0},
			{"in a transaction that commits", func() error {
				return s.Atomically(ctx, func(tx *models.Store) error { return tx.Activities.FinishDone(ctx, ids) })
			}, nil, 2},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := tt.finish(); !errors.Is(err, tt.wantErr) {
					t.Fatalf("FinishDone = %v, want %v", err, tt.wantErr)
				}
				counts, err := s.Activities.Counts(ctx)
				if err != nil || counts[models.ActivityDone] != tt.wantDone {
					t.Errorf("counts = %v, %v; want %d done", counts, err, tt.wantDone)
				}
			})
		}
		for i, id := range []string{"https://b.example/a/1", "https://b.example/a/3"} {
			a, err := s.Activities.ByIRI(ctx, id)
			want := []string{models.ActivityDone, models.ActivityPending}[i]
			if err != nil || a.State != want || (i == 0 && (a.Attempts != 1 || a.LockedBy != "" || a.LockedUntil != nil || a.ProcessedAt == nil)) {
				t.Errorf("%s = %+v, %v; want %s, finished once and unlocked", id, a, err, want)
			}
		}
	})
}
