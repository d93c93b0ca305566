package models_test

import (
	"context"
	"slices"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// TestTimelineLoad: a page's rows come with the columns a status shows,
// their dates and lists as stored, their authors without keys, on both
// databases.
func TestTimelineLoad(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		f := newTimelineFixture(t, db)
		mentioning := note(f.peer, "5", 9, models.VisibilityPublic)
		mentioning.Mentions = models.MentionList{{IRI: f.stranger.IRI, Acct: "s@stranger.example"}, {IRI: "https://x.example/u", Acct: "u@x.example"}}
		if err := f.s.Notes.Create(ctx, &mentioning); err != nil {
			t.Fatal(err)
		}
		rows, err := f.s.Timelines.Load(ctx, []models.TimelineEntry{
			{Kind: models.KindCaseStudy, ID: f.orgCase.ID}, {Kind: models.KindNote, ID: f.peerNote.ID},
			{Kind: models.KindNote, ID: mentioning.ID}, {Kind: models.KindAnnounce, ID: f.announce.ID},
		})
		if err != nil {
			t.Fatal(err)
		}
		c, want := rows.CaseStudies[f.orgCase.ID], f.orgCase
		if c.IRI != want.IRI || c.Slug == nil || *c.Slug != *want.Slug || !c.Local || c.ActorID != want.ActorID ||
			c.StatusID != want.StatusID || c.URL != want.URL || c.Title != want.Title || c.Summary != want.Summary ||
			c.ServiceArea != want.ServiceArea || !slices.Equal(c.Tags, want.Tags) || !slices.Equal(c.Attachments, want.Attachments) ||
			!c.Published.Equal(want.Published) || !c.Updated.Equal(want.Updated) || c.DeletedAt != nil {
			t.Errorf("case study = %+v, want the columns of %+v", c, want)
		}
		if c.Body != "" || c.Content != "" || c.Outcomes != nil || c.ContactEmail != "" {
			t.Errorf("case study = %+v, want no body, content, outcomes or contact", c)
		}
		n := rows.Notes[f.peerNote.ID]
		if n.IRI != f.peerNote.IRI || n.Content != f.peerNote.Content || !slices.Equal(n.Hashtags, f.peerNote.Hashtags) ||
			n.Mentions == nil || len(n.Mentions) != 0 || !n.Published.Equal(f.peerNote.Published) || n.Visibility != models.VisibilityPublic {
			t.Errorf("note = %+v, want %+v with an empty list of mentions", n, f.peerNote)
		}
		if m := rows.Notes[mentioning.ID].Mentions; !slices.Equal(m, mentioning.Mentions) {
			t.Errorf("mentions = %+v, want %+v", m, mentioning.Mentions)
		}
		for _, a := range []models.Actor{f.org, f.peer, f.stranger} {
			got := rows.Actors[a.ID]
			if got.IRI != a.IRI || got.Local != a.Local || got.Handle != a.Handle || got.Host != a.Host || got.Name != a.Name {
				t.Errorf("actor %d = %+v, want %+v", a.ID, got, a)
			}
			if got.PublicKeyPEM != "" || got.PrivateKeyPEM != "" || got.Inbox != "" {
				t.Errorf("actor %d = %+v, want no keys and no inbox", a.ID, got)
			}
		}
		if rows.Announces[f.announce.ID].CaseStudyID != f.strangerCase.ID || rows.CaseStudies[f.strangerCase.ID].IRI != f.strangerCase.IRI {
			t.Errorf("announce = %+v, want it and the case study it names", rows.Announces)
		}
		// An announced case study since deleted comes with its deletion.
		if err := f.s.CaseStudies.Delete(ctx, f.strangerCase.ID); err != nil {
			t.Fatal(err)
		}
		rows, err = f.s.Timelines.Load(ctx, []models.TimelineEntry{{Kind: models.KindAnnounce, ID: f.announce.ID}})
		if c := rows.CaseStudies[f.strangerCase.ID]; err != nil || !c.Deleted() || c.DeletedAt.IsZero() {
			t.Errorf("Load(announce of a deleted case study) = %+v, %v; want it deleted", c, err)
		}
		// Nothing to load is not an error.
		if rows, err := f.s.Timelines.Load(ctx, nil); err != nil || len(rows.CaseStudies)+len(rows.Notes)+len(rows.Actors) != 0 {
			t.Errorf("Load(nil) = %+v, %v", rows, err)
		}
	})
}

// TestActorIDsByIRI: the ids of the known actors among IRIs, in one query.
func TestActorIDsByIRI(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		f := newTimelineFixture(t, db)
		got, err := f.s.Actors.IDsByIRI(ctx, []string{f.peer.IRI, "https://x.example/unknown", f.org.IRI})
		if err != nil || len(got) != 2 || got[f.peer.IRI] != f.peer.ID || got[f.org.IRI] != f.org.ID {
			t.Errorf("IDsByIRI = %v, %v; want the peer's and the organisation's ids", got, err)
		}
		if got, err := f.s.Actors.IDsByIRI(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("IDsByIRI(nil) = %v, %v", got, err)
		}
	})
}
