package models_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// TestHiddenNotes: the received notes are listed newest first, hidden ones
// too, with their authors; a hidden note leaves the timelines, the status
// lookups, the replies and a case study's discussion, and comes back when
// shown; a local or unknown note cannot be hidden.
func TestHiddenNotes(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		f := newTimelineFixture(t, db)
		reply := note(f.stranger, "r", 9, models.VisibilityPublic)
		reply.InReplyTo, reply.CaseStudyID = f.orgCase.IRI, &f.orgCase.ID
		if err := f.s.Notes.Create(ctx, &reply); err != nil {
			t.Fatal(err)
		}
		list := func() []string {
			t.Helper()
			rs, total, err := f.s.Discussion.List(ctx, 10, 0)
			if err != nil || total != int64(len(rs)) {
				t.Fatalf("List = %d of %d, %v", len(rs), total, err)
			}
			var out []string
			for _, r := range rs {
				s := r.IRI + " by " + r.AuthorHandle
				if r.HiddenAt != nil {
					s += " (hidden)"
				}
				if r.CaseSlug != nil {
					s += " on " + *r.CaseSlug
				}
				out = append(out, s)
			}
			return out
		}
		shown := func(want bool) {
			t.Helper()
			es, err := f.s.Timelines.Page(ctx, models.TimelineQuery{Scope: models.ScopePublic})
			inTimeline := err == nil && slices.ContainsFunc(es, func(e models.TimelineEntry) bool { return e.Kind == models.KindNote && e.ID == reply.ID })
			_, err = f.s.Timelines.ByStatusID(ctx, reply.StatusID)
			byID := err == nil
			found, _ := f.s.Timelines.ByIRIs(ctx, []string{reply.IRI})
			replies, _ := f.s.Notes.RepliesTo(ctx, []string{f.orgCase.IRI}, 10)
			_, inDiscussion, _ := f.s.Notes.Discussion(ctx, f.orgCase.ID, 10, 0)
			got := []bool{inTimeline, byID, len(found) == 1, len(replies) == 1, inDiscussion == 1}
			if !slices.Equal(got, []bool{want, want, want, want, want}) {
				t.Errorf("shown (timeline, by status id, by IRI, replies, discussion) = %v, want all %v", got, want)
			}
		}
		stranger := f.stranger.Handle + "@" + f.stranger.Host
		peer := f.peer.Handle + "@" + f.peer.Host
		want := []string{reply.IRI + " by " + stranger + " on ours", f.unlisted.IRI + " by " + peer, f.peerNote.IRI + " by " + peer}
		if got := list(); !slices.Equal(got, want) {
			t.Errorf("List = %q\nwant %q", got, want)
		}
		shown(true)
		if err := f.s.Discussion.SetHidden(ctx, reply.ID, true); err != nil {
			t.Fatal(err)
		}
		shown(false)
		if got := list(); got[0] != reply.IRI+" by "+stranger+" (hidden) on ours" {
			t.Errorf("List after hiding = %q", got)
		}
		if err := f.s.Discussion.SetHidden(ctx, reply.ID, false); err != nil {
			t.Fatal(err)
		}
		shown(true)
		for _, id := range []int64{f.orgNote.ID, 0} {
			if err := f.s.Discussion.SetHidden(ctx, id, true); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("SetHidden(%d) = %v, want ErrNotFound", id, err)
			}
			if _, err := f.s.Discussion.ByID(ctx, id); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("ByID(%d) = %v, want ErrNotFound", id, err)
			}
		}
	})
}

// TestDeliveriesByHost: the jobs not done are counted by host and state;
// the dead ones of a host are revived, one or all, due at once with their
// attempts from zero; reviving none is ErrNotFound.
func TestDeliveriesByHost(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		for _, act := range []string{"1", "2", "3"} {
			err := s.Deliveries.Enqueue(ctx, "https://a.example/act/"+act, 1, []byte(`{}`), []string{"https://b.example/inbox", "https://c.example/inbox"})
			if err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Deliveries.AbandonTo(ctx, "https://b.example/inbox", "gone"); err != nil {
			t.Fatal(err)
		}
		hosts, err := s.Deliveries.ByHost(ctx)
		want := []models.DeliveryHostCounts{{Host: "b.example", Dead: 3}, {Host: "c.example", Pending: 3}}
		if err != nil || !slices.Equal(hosts, want) {
			t.Fatalf("ByHost = %+v, %v; want %+v", hosts, err, want)
		}
		dead, err := s.Deliveries.DeadTo(ctx, "b.example", 10)
		if err != nil || len(dead) != 3 {
			t.Fatalf("DeadTo = %d, %v", len(dead), err)
		}
		if n, err := s.Deliveries.Revive(ctx, "c.example", dead[0].ID); n != 0 || !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Revive on another host = %d, %v", n, err)
		}
		if n, err := s.Deliveries.Revive(ctx, "b.example", dead[0].ID); n != 1 || err != nil {
			t.Errorf("Revive one = %d, %v", n, err)
		}
		if n, err := s.Deliveries.Revive(ctx, "b.example", 0); n != 2 || err != nil {
			t.Errorf("Revive all = %d, %v", n, err)
		}
		if n, err := s.Deliveries.Revive(ctx, "b.example", 0); n != 0 || !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Revive none = %d, %v", n, err)
		}
		d, err := s.Deliveries.ByID(ctx, dead[1].ID)
		if err != nil || d.State != models.DeliveryPending || d.Attempts != 0 || d.LockedUntil != nil {
			t.Errorf("revived job = %+v, %v", d, err)
		}
	})
}
