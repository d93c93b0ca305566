package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// TestReplyBelongsToItsAuthor: another actor saving a reply under a stored
// reply's IRI changes nothing, and Actors.OwnerOf names each stored object's
// owner.
func TestReplyBelongsToItsAuthor(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		local, remotes := followFixture(t, s)
		alice, mallory := remotes[0], remotes[1] // both on b.example
		cs := newCaseStudy(local.ID, "owned", 0)
		if err := s.CaseStudies.Create(ctx, &cs); err != nil {
			t.Fatal(err)
		}
		iri := alice.IRI + "/notes/1"
		now := time.Now().UTC().Truncate(time.Second)
		if err := s.Notes.Save(ctx, &models.Note{Visibility: models.VisibilityPublic, IRI: iri, CaseStudyID: &cs.ID, InReplyTo: cs.IRI, ActorID: alice.ID, Content: "<p>alice's words</p>", Published: now}); err != nil {
			t.Fatal(err)
		}
		err := s.Notes.Save(ctx, &models.Note{Visibility: models.VisibilityPublic, IRI: iri, CaseStudyID: &cs.ID, InReplyTo: cs.IRI, ActorID: mallory.ID, Content: "<p>mallory's words</p>", Published: now})
		if !errors.Is(err, models.ErrConflict) {
			t.Errorf("SaveReply by another actor = %v, want ErrConflict", err)
		}
		got, err := s.Notes.ByIRI(ctx, iri)
		if err != nil || got.ActorID != alice.ID || got.Content != "<p>alice's words</p>" {
			t.Errorf("the reply after another actor's save = %+v, %v; want alice's, unchanged", got, err)
		}

		for _, tt := range []struct {
			iri  string
			want models.Owner
		}{
			{iri, models.Owner{Kind: models.KindNote, ActorID: alice.ID}},
			{cs.IRI, models.Owner{Kind: models.KindCaseStudy, ActorID: local.ID}},
			{mallory.IRI, models.Owner{Kind: models.KindActor, ActorID: mallory.ID}},
		} {
			if got, err := s.Actors.OwnerOf(ctx, tt.iri); err != nil || got != tt.want {
				t.Errorf("Actors.OwnerOf(%s) = %+v, %v; want %+v", tt.iri, got, err, tt.want)
			}
		}
		if _, err := s.Actors.OwnerOf(ctx, "https://b.example/nothing"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Actors.OwnerOf of nothing = %v, want ErrNotFound", err)
		}
	})
}

// TestRelationOf: an actor's ties to the node, each found on its own.
func TestRelationOf(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		local, remotes := followFixture(t, s)
		followed, follower, author := remotes[0], remotes[1], remotes[2]
		stranger := newActor("https://d.example/users/four", false)
		if err := s.Actors.UpsertRemote(ctx, &stranger); err != nil {
			t.Fatal(err)
		}
		for _, f := range []models.Follow{
			{ActivityID: "https://here.example/f/1", ActorID: local.ID, TargetID: followed.ID, Outbound: true, State: models.FollowPending},
			{ActivityID: follower.IRI + "/f/1", ActorID: follower.ID, TargetID: local.ID, State: models.FollowAccepted},
		} {
			if err := s.Follows.Save(ctx, &f); err != nil {
				t.Fatal(err)
			}
		}
		cs := newCaseStudy(local.ID, "tied", 0)
		if err := s.CaseStudies.Create(ctx, &cs); err != nil {
			t.Fatal(err)
		}
		if err := s.Notes.Save(ctx, &models.Note{Visibility: models.VisibilityPublic, IRI: author.IRI + "/notes/1", CaseStudyID: &cs.ID, InReplyTo: cs.IRI, ActorID: author.ID, Content: "<p>hi</p>", Published: time.Now().UTC()}); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			who  models.Actor
			want models.Relation
		}{
			{followed, models.Relation{Followed: true}},
			{follower, models.Relation{Follower: true}},
			{author, models.Relation{HasContent: true}},
			{stranger, models.Relation{}},
		} {
			if got, err := s.Actors.RelationOf(ctx, tt.who.ID); err != nil || got != tt.want {
				t.Errorf("Actors.RelationOf(%s) = %+v, %v; want %+v", tt.who.IRI, got, err, tt.want)
			}
		}
	})
}
