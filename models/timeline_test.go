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

// timelineFixture is a store holding the organisation (org), a followed
// peer (peer), a stranger, and statuses by each, an hour apart.
type timelineFixture struct {
	s                   *models.Store
	org, peer, stranger models.Actor
	orgCase, peerCase   models.CaseStudy
	strangerCase        models.CaseStudy
	peerNote, orgNote   models.Note
	unlisted, deleted   models.Note
	announce            models.Announce
}

func newTimelineFixture(t *testing.T, db testrig.DB) timelineFixture {
	t.Helper()
	ctx := context.Background()
	f := timelineFixture{}
	f.s, f.org = storeWithActor(t, db)
	f.peer = newActor("https://peer.example/users/hub", false)
	f.stranger = newActor("https://stranger.example/users/s", false)
	for _, a := range []*models.Actor{&f.peer, &f.stranger} {
		if err := f.s.Actors.UpsertRemote(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	follow := models.Follow{ActivityID: "https://a.example/follows/1", ActorID: f.org.ID, TargetID: f.peer.ID, Outbound: true, State: models.FollowAccepted}
	if err := f.s.Follows.Save(ctx, &follow); err != nil {
		t.Fatal(err)
	}
	f.orgCase = newCaseStudy(f.org.ID, "ours", 1)
	f.peerCase = remoteCase(f.peer, "theirs", 2)
	f.strangerCase = remoteCase(f.stranger, "other", 3)
	for _, c := range []*models.CaseStudy{&f.orgCase, &f.peerCase, &f.strangerCase} {
		if err := f.s.CaseStudies.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	f.peerNote = note(f.peer, "1", 4, models.VisibilityPublic, "Leisure")
	f.unlisted = note(f.peer, "2", 5, models.VisibilityUnlisted)
	f.orgNote = note(f.org, "3", 6, models.VisibilityPublic, "leisure")
	f.orgNote.Local = true
	f.deleted = note(f.org, "4", 7, models.VisibilityPublic)
	f.deleted.Local = true
	for _, n := range []*models.Note{&f.peerNote, &f.unlisted, &f.orgNote, &f.deleted} {
		if err := f.s.Notes.Create(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.Notes.Tombstone(ctx, f.deleted.ID); err != nil {
		t.Fatal(err)
	}
	f.announce = models.Announce{IRI: f.peer.IRI + "/announces/1", ActorID: f.peer.ID, CaseStudyID: f.strangerCase.ID, Published: base.Add(8 * time.Hour)}
	if ok, err := f.s.Announces.Save(ctx, &f.announce); err != nil || !ok {
		t.Fatalf("announce: %v, %v", ok, err)
	}
	return f
}

func remoteCase(a models.Actor, slug string, hours int) models.CaseStudy {
	c := newCaseStudy(a.ID, slug, hours)
	c.IRI, c.URL, c.Slug, c.Local = a.IRI+"/articles/"+slug, a.IRI+"/articles/"+slug, nil, false
	return c
}

func note(a models.Actor, n string, hours int, visibility string, tags ...string) models.Note {
	return models.Note{
		IRI: a.IRI + "/notes/" + n, ActorID: a.ID, Content: "<p>note " + n + "</p>", Visibility: visibility,
		Hashtags: tags, Published: base.Add(time.Duration(hours) * time.Hour),
	}
}

// kinds names the entries as kind:row id, for comparison.
func (f timelineFixture) names(es []models.TimelineEntry) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, fmt.Sprintf("%s:%d", e.Kind, e.ID))
	}
	return out
}

func TestTimelines(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		f := newTimelineFixture(t, db)
		cs := func(c models.CaseStudy) string { return fmt.Sprintf("%s:%d", models.KindCaseStudy, c.ID) }
		nt := func(n models.Note) string { return fmt.Sprintf("%s:%d", models.KindNote, n.ID) }
		an := fmt.Sprintf("%s:%d", models.KindAnnounce, f.announce.ID)
		for _, tc := range []struct {
			name string
			q    models.TimelineQuery
			want []string
		}{
			{"public: case studies and public notes, no announces, no deleted",
				models.TimelineQuery{}, []string{nt(f.orgNote), nt(f.peerNote), cs(f.strangerCase), cs(f.peerCase), cs(f.orgCase)}},
			{"public, local", models.TimelineQuery{LocalOnly: true}, []string{nt(f.orgNote), cs(f.orgCase)}},
			{"public, remote", models.TimelineQuery{RemoteOnly: true}, []string{nt(f.peerNote), cs(f.strangerCase), cs(f.peerCase)}},
			{"home: ours and the followed peer's, unlisted and announces included, not the stranger's",
				models.TimelineQuery{Scope: models.ScopeHome, Viewer: f.org.ID},
				[]string{an, nt(f.orgNote), nt(f.unlisted), nt(f.peerNote), cs(f.peerCase), cs(f.orgCase)}},
			{"tag, any case, notes and case studies",
				models.TimelineQuery{Scope: models.ScopeTag, Tag: "#LEISURE"}, []string{nt(f.orgNote), nt(f.peerNote)}},
			{"tag of a service area", models.TimelineQuery{Scope: models.ScopeTag, Tag: "Libraries"},
				[]string{cs(f.strangerCase), cs(f.peerCase), cs(f.orgCase)}},
			{"account", models.TimelineQuery{Scope: models.ScopeAccount, ActorID: f.peer.ID},
				[]string{an, nt(f.unlisted), nt(f.peerNote), cs(f.peerCase)}},
			{"limit", models.TimelineQuery{Limit: 2}, []string{nt(f.orgNote), nt(f.peerNote)}},
			{"max_id", models.TimelineQuery{MaxID: f.peerNote.StatusID, Limit: 2}, []string{cs(f.strangerCase), cs(f.peerCase)}},
			{"since_id, newest first", models.TimelineQuery{SinceID: f.peerCase.StatusID, Limit: 2}, []string{nt(f.orgNote), nt(f.peerNote)}},
			{"min_id, oldest first", models.TimelineQuery{MinID: f.peerCase.StatusID, Limit: 2}, []string{cs(f.strangerCase), nt(f.peerNote)}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := f.s.Timelines.Page(ctx, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				if names := f.names(got); !slices.Equal(names, tc.want) {
					t.Errorf("Page(%+v) = %v, want %v", tc.q, names, tc.want)
				}
			})
		}

		// After an unfollow, the peer's statuses leave the home timeline,
		// past ones included.
		follow, err := f.s.Follows.Between(ctx, f.org.ID, f.peer.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.Follows.Delete(ctx, follow.ID); err != nil {
			t.Fatal(err)
		}
		home, err := f.s.Timelines.Page(ctx, models.TimelineQuery{Scope: models.ScopeHome, Viewer: f.org.ID})
		if err != nil {
			t.Fatal(err)
		}
		if names, want := f.names(home), []string{nt(f.orgNote), cs(f.orgCase)}; !slices.Equal(names, want) {
			t.Errorf("home after unfollow = %v, want %v", names, want)
		}
	})
}

func TestStatusLookups(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		f := newTimelineFixture(t, db)
		for _, tc := range []struct {
			id   int64
			kind string
			row  int64
		}{
			{f.orgCase.StatusID, models.KindCaseStudy, f.orgCase.ID},
			{f.peerNote.StatusID, models.KindNote, f.peerNote.ID},
			{f.announce.StatusID, models.KindAnnounce, f.announce.ID},
		} {
			e, err := f.s.Timelines.ByStatusID(ctx, tc.id)
			if err != nil || e.Kind != tc.kind || e.ID != tc.row {
				t.Errorf("ByStatusID(%d) = %+v, %v; want %s %d", tc.id, e, err, tc.kind, tc.row)
			}
		}
		if _, err := f.s.Timelines.ByStatusID(ctx, f.deleted.StatusID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ByStatusID(deleted note) = %v, want ErrNotFound", err)
		}
		found, err := f.s.Timelines.ByIRIs(ctx, []string{f.peerCase.IRI, f.peerNote.IRI, f.deleted.IRI, "https://x.example/none"})
		if err != nil || len(found) != 2 || found[f.peerNote.IRI].ID != f.peerNote.ID || found[f.peerCase.IRI].Kind != models.KindCaseStudy {
			t.Errorf("ByIRIs = %+v, %v; want the case study and the note", found, err)
		}
		// Status ids follow publication time.
		if !(f.orgCase.StatusID < f.peerCase.StatusID && f.peerCase.StatusID < f.peerNote.StatusID) {
			t.Errorf("status ids out of order: %d %d %d", f.orgCase.StatusID, f.peerCase.StatusID, f.peerNote.StatusID)
		}
		rows, err := f.s.Timelines.Load(ctx, []models.TimelineEntry{{Kind: models.KindAnnounce, ID: f.announce.ID}})
		if err != nil || rows.CaseStudies[f.strangerCase.ID].IRI != f.strangerCase.IRI || rows.Actors[f.peer.ID].IRI != f.peer.IRI ||
			rows.Actors[f.stranger.ID].IRI != f.stranger.IRI {
			t.Errorf("Load(announce) = %+v, %v; want the announced case study and both actors", rows, err)
		}
	})
}

func TestNotes(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		f := newTimelineFixture(t, db)
		// Another actor cannot take over a note by its IRI.
		hijack := note(f.stranger, "x", 9, models.VisibilityPublic)
		hijack.IRI = f.peerNote.IRI
		if err := f.s.Notes.Save(ctx, &hijack); !errors.Is(err, models.ErrConflict) {
			t.Errorf("Save(another actor's note) = %v, want ErrConflict", err)
		}
		// Its author edits it: new text and hashtags, same status id.
		edit := note(f.peer, "1", 4, models.VisibilityPublic, "Housing")
		edit.Content = "<p>edited</p>"
		if err := f.s.Notes.Save(ctx, &edit); err != nil {
			t.Fatal(err)
		}
		got, err := f.s.Notes.ByIRI(ctx, f.peerNote.IRI)
		if err != nil || got.Content != "<p>edited</p>" || got.StatusID != f.peerNote.StatusID {
			t.Errorf("after edit: %+v, %v", got, err)
		}
		for tag, want := range map[string]int{"leisure": 1, "housing": 1} {
			es, err := f.s.Timelines.Page(ctx, models.TimelineQuery{Scope: models.ScopeTag, Tag: tag})
			if err != nil || len(es) != want {
				t.Errorf("tag %s after edit: %v, %v; want %d", tag, es, err, want)
			}
		}
		// A deleted local note is a tombstone; deleting it again is gone.
		if err := f.s.Notes.Tombstone(ctx, f.deleted.ID); !errors.Is(err, models.ErrGone) {
			t.Errorf("Tombstone twice = %v, want ErrGone", err)
		}
		if n, err := f.s.Notes.ByIRI(ctx, f.deleted.IRI); err != nil || !n.Deleted() || n.Content != "" {
			t.Errorf("tombstone = %+v, %v", n, err)
		}
		// A received note is removed; a local one is not removed that way.
		if err := f.s.Notes.Delete(ctx, f.peerNote.IRI); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Notes.Delete(ctx, f.orgNote.IRI); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Delete(local note) = %v, want ErrNotFound", err)
		}
		// An actor announces a case study once.
		again := models.Announce{IRI: f.peer.IRI + "/announces/2", ActorID: f.peer.ID, CaseStudyID: f.strangerCase.ID, Published: base}
		if ok, err := f.s.Announces.Save(ctx, &again); ok || err != nil {
			t.Errorf("second announce = %v, %v; want false, nil", ok, err)
		}
		if err := f.s.Announces.Undo(ctx, f.announce.IRI, f.stranger.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Undo by another actor = %v, want ErrNotFound", err)
		}
		if err := f.s.Announces.Undo(ctx, f.announce.IRI, f.peer.ID); err != nil {
			t.Errorf("Undo = %v", err)
		}
	})
}

func TestNotificationsAndMarkers(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		f := newTimelineFixture(t, db)
		adds := []models.Notification{
			{Type: models.NotifyFollow, ActorID: f.peer.ID},
			{Type: models.NotifyMention, ActorID: f.peer.ID, StatusID: f.peerNote.StatusID},
			{Type: models.NotifyFollow, ActorID: f.peer.ID}, // the same again: one
			{Type: models.NotifyReblog, ActorID: f.peer.ID, StatusID: f.orgCase.StatusID},
		}
		for i := range adds {
			if err := f.s.Notifications.Add(ctx, &adds[i]); err != nil {
				t.Fatal(err)
			}
		}
		all, err := f.s.Notifications.Page(ctx, models.NotificationQuery{})
		if err != nil || len(all) != 3 || all[0].Type != models.NotifyReblog {
			t.Fatalf("Page = %+v, %v; want 3, newest first", all, err)
		}
		for _, tc := range []struct {
			q    models.NotificationQuery
			want int
		}{
			{models.NotificationQuery{Types: []string{models.NotifyMention}}, 1},
			{models.NotificationQuery{ExcludeTypes: []string{models.NotifyFollow}}, 2},
			{models.NotificationQuery{MaxID: all[0].ID}, 2},
			{models.NotificationQuery{SinceID: all[2].ID}, 2},
			{models.NotificationQuery{MinID: all[2].ID, Limit: 1}, 1},
		} {
			if got, err := f.s.Notifications.Page(ctx, tc.q); err != nil || len(got) != tc.want {
				t.Errorf("Page(%+v) = %d, %v; want %d", tc.q, len(got), err, tc.want)
			}
		}
		if err := f.s.Notifications.Dismiss(ctx, all[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Notifications.Dismiss(ctx, all[0].ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Dismiss twice = %v, want ErrNotFound", err)
		}
		if err := f.s.Notifications.Clear(ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := f.s.Notifications.Unread(ctx, 0); err != nil || n != 0 {
			t.Errorf("after Clear: %d, %v", n, err)
		}

		m1, err := f.s.Markers.Set(ctx, 7, "home", "123")
		if err != nil || m1.Version != 1 {
			t.Fatalf("Set = %+v, %v", m1, err)
		}
		m2, err := f.s.Markers.Set(ctx, 7, "home", "456")
		if err != nil || m2.Version != 2 || m2.LastReadID != "456" {
			t.Fatalf("Set again = %+v, %v", m2, err)
		}
		ms, err := f.s.Markers.Get(ctx, 7, []string{"home", "notifications"})
		if err != nil || len(ms) != 1 || ms[0].LastReadID != "456" {
			t.Errorf("Get = %+v, %v", ms, err)
		}

		key := models.IdempotencyKey{UserID: 7, Key: "abc", StatusID: 42, CreatedAt: base}
		if ok, err := f.s.Markers.Remember(ctx, key); !ok || err != nil {
			t.Fatalf("Remember = %v, %v", ok, err)
		}
		if ok, err := f.s.Markers.Remember(ctx, key); ok || err != nil {
			t.Errorf("Remember again = %v, %v; want false", ok, err)
		}
		if id, err := f.s.Markers.Recall(ctx, 7, "abc", base.Add(-time.Hour)); err != nil || id != 42 {
			t.Errorf("Recall = %d, %v", id, err)
		}
		if _, err := f.s.Markers.Recall(ctx, 8, "abc", base.Add(-time.Hour)); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Recall(another user) = %v, want ErrNotFound", err)
		}
		if err := f.s.Markers.Forget(ctx, base.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Markers.Recall(ctx, 7, "abc", base.Add(-time.Hour)); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Recall after Forget = %v, want ErrNotFound", err)
		}
	})
}
