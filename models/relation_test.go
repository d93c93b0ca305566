package models_test

import (
	"context"
	"slices"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// TestFollowStatesWith: the follow states both ways between the local
// actor and each known actor of a list, in one query; unknown ids are
// left out.
func TestFollowStatesWith(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		local, remotes := followFixture(t, s)
		for _, f := range []models.Follow{
			{ActivityID: "f0", ActorID: remotes[0].ID, TargetID: local.ID, State: models.FollowAccepted},
			{ActivityID: "f1", ActorID: local.ID, TargetID: remotes[0].ID, Outbound: true, State: models.FollowPending},
			{ActivityID: "f2", ActorID: remotes[1].ID, TargetID: local.ID, State: models.FollowPending},
		} {
			if err := s.Follows.Save(ctx, &f); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Actors.FollowStatesWith(ctx, local.ID, []int64{remotes[2].ID, remotes[0].ID, 999999, remotes[1].ID, local.ID})
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(got, func(a, b models.FollowStates) int { return int(a.ID - b.ID) })
		want := []models.FollowStates{
			{ID: local.ID},
			{ID: remotes[0].ID, Out: models.FollowPending, In: models.FollowAccepted},
			{ID: remotes[1].ID, In: models.FollowPending},
			{ID: remotes[2].ID},
		}
		if !slices.Equal(got, want) {
			t.Errorf("FollowStatesWith = %+v, want %+v", got, want)
		}
		if none, err := s.Actors.FollowStatesWith(ctx, local.ID, nil); err != nil || len(none) != 0 {
			t.Errorf("FollowStatesWith(nil) = %v, %v", none, err)
		}
	})
}
