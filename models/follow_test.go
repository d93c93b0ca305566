package models_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// followFixture makes a local actor and three remote ones: two on one host
// with a shared inbox, one with only its own inbox.
func followFixture(t *testing.T, s *models.Store) (local models.Actor, remotes []models.Actor) {
	t.Helper()
	ctx := context.Background()
	local = newActor("https://here.example/actors/org", true)
	if err := s.Actors.Create(ctx, &local); err != nil {
		t.Fatal(err)
	}
	for _, iri := range []string{"https://b.example/users/one", "https://b.example/users/two", "https://c.example/users/three"} {
		a := newActor(iri, false)
		a.SharedInbox = ""
		if iri != "https://c.example/users/three" {
			a.SharedInbox = "https://b.example/inbox"
		}
		if err := s.Actors.UpsertRemote(ctx, &a); err != nil {
			t.Fatal(err)
		}
		remotes = append(remotes, a)
	}
	return local, remotes
}

func TestFollows(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		local, remotes := followFixture(t, s)

		var ids []int64
		for i, r := range remotes {
			f := models.Follow{ActivityID: r.IRI + "#follow", ActorID: r.ID, TargetID: local.ID, State: models.FollowAccepted}
			if i == 2 {
				f.State = models.FollowPending
			}
			if err := s.Follows.Save(ctx, &f); err != nil {
				t.Fatalf("save follow: %v", err)
			}
			ids = append(ids, f.ID)
		}
		out := models.Follow{ActivityID: "https://here.example/activities/f1", ActorID: local.ID, TargetID: remotes[2].ID, Outbound: true, State: models.FollowPending}
		if err := s.Follows.Save(ctx, &out); err != nil {
			t.Fatal(err)
		}

		// Saving the same pair again replaces it, keeping its row.
		again := models.Follow{ActivityID: remotes[0].IRI + "#follow-2", ActorID: remotes[0].ID, TargetID: local.ID, State: models.FollowAccepted}
		if err := s.Follows.Save(ctx, &again); err != nil || again.ID != ids[0] || again.ActivityID != remotes[0].IRI+"#follow-2" {
			t.Errorf("save again = %+v, %v; want row %d with the new activity", again, err, ids[0])
		}
		if _, err := s.Follows.ByActivity(ctx, remotes[0].IRI+"#follow"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the replaced activity still finds the follow: %v", err)
		}

		inboxes, err := s.Follows.FollowerInboxes(ctx, local.ID)
		slices.Sort(inboxes)
		if err != nil || !slices.Equal(inboxes, []string{"https://b.example/inbox"}) {
			t.Errorf("Follows.FollowerInboxes = %v, %v; want the one shared inbox (the third follower is pending)", inboxes, err)
		}
		if err := s.Follows.SetState(ctx, ids[2], models.FollowAccepted); err != nil {
			t.Fatal(err)
		}
		inboxes, _ = s.Follows.FollowerInboxes(ctx, local.ID)
		slices.Sort(inboxes)
		if !slices.Equal(inboxes, []string{"https://b.example/inbox", "https://c.example/users/three/inbox"}) {
			t.Errorf("Follows.FollowerInboxes = %v", inboxes)
		}

		followers, total, err := s.Follows.Followers(ctx, local.ID, "", 10, 0)
		if err != nil || total != 3 || len(followers) != 3 || followers[0].Remote.IRI != remotes[2].IRI {
			t.Errorf("Follows.Followers = %d items, total %d, %v; want 3, newest first", len(followers), total, err)
		}
		following, total, err := s.Follows.Following(ctx, local.ID, models.FollowPending, 10, 0)
		if err != nil || total != 1 || following[0].Remote.IRI != remotes[2].IRI {
			t.Errorf("Follows.Following(pending) = %+v, %d, %v", following, total, err)
		}
		if ok, err := s.Follows.IsFollowing(ctx, local.ID, remotes[2].ID); err != nil || ok {
			t.Errorf("IsFollowing a pending follow = %v, %v", ok, err)
		}
		_ = s.Follows.SetState(ctx, out.ID, models.FollowAccepted)
		if ok, _ := s.Follows.IsFollowing(ctx, local.ID, remotes[2].ID); !ok {
			t.Error("Follows.IsFollowing an accepted follow = false")
		}

		// A shared inbox that answered 410 takes both its followers with it.
		if n, err := s.Follows.RemoveFollowersAt(ctx, "https://b.example/inbox"); err != nil || n != 2 {
			t.Errorf("Follows.RemoveFollowersAt = %d, %v; want 2", n, err)
		}
		if _, total, _ := s.Follows.Followers(ctx, local.ID, "", 10, 0); total != 1 {
			t.Errorf("followers left = %d, want 1", total)
		}
		if err := s.Follows.DeleteOf(ctx, remotes[2].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Follows.ByID(ctx, out.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("follow of a deleted actor remains: %v", err)
		}
		if err := s.Follows.Delete(ctx, out.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("DeleteFollow twice: %v, want ErrNotFound", err)
		}
		if err := s.Follows.SetState(ctx, 999999, models.FollowAccepted); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Follows.SetState(unknown): %v, want ErrNotFound", err)
		}
	})
}
