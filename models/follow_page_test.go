package models_test

import (
	"context"
	"slices"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// TestFollowPage: pages of followers and follows, newest first by follow
// id, by state, bounded by max and since ids.
func TestFollowPage(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		local, remotes := followFixture(t, s)
		var ids []int64
		for i, r := range remotes {
			f := models.Follow{ActivityID: r.IRI + "#f", ActorID: r.ID, TargetID: local.ID, State: models.FollowAccepted}
			if i == 1 {
				f.State = models.FollowPending
			}
			if err := s.Follows.Save(ctx, &f); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, f.ID)
		}
		out := models.Follow{ActivityID: "out", ActorID: local.ID, TargetID: remotes[1].ID, Outbound: true, State: models.FollowAccepted}
		if err := s.Follows.Save(ctx, &out); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			p    models.FollowPage
			want []int64 // follow ids
		}{
			{"followers", models.FollowPage{Limit: 10}, []int64{ids[2], ids[1], ids[0]}},
			{"accepted", models.FollowPage{State: models.FollowAccepted, Limit: 10}, []int64{ids[2], ids[0]}},
			{"pending", models.FollowPage{State: models.FollowPending, Limit: 10}, []int64{ids[1]}},
			{"limit", models.FollowPage{Limit: 2}, []int64{ids[2], ids[1]}},
			{"max_id", models.FollowPage{MaxID: ids[2], Limit: 10}, []int64{ids[1], ids[0]}},
			{"since_id", models.FollowPage{SinceID: ids[0], Limit: 10}, []int64{ids[2], ids[1]}},
			{"following", models.FollowPage{Following: true, Limit: 10}, []int64{out.ID}},
		} {
			c.p.LocalID = local.ID
			page, err := s.Follows.Page(ctx, c.p)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var got []int64
			for _, f := range page {
				got = append(got, f.ID)
				remote := f.ActorID
				if c.p.Following {
					remote = f.TargetID
				}
				if f.Remote.ID != remote {
					t.Errorf("%s: follow %d has actor %d, want %d", c.name, f.ID, f.Remote.ID, remote)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s = %v, want %v", c.name, got, c.want)
			}
		}
	})
}
