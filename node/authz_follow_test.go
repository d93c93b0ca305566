package node_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// TestUndoOnlyItsOwnFollowOfUs: a follower's Undo of a Follow that is not
// its follow of this node (of a third party, by a third party, an id we do
// not know, our own follow of it) leaves every follow as it was; its Undo
// of its follow of us removes it.
func TestUndoOnlyItsOwnFollowOfUs(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: fast})
		alice := testrig.StartRemote(t)
		mallory := alice.AddActor(t, "mallory", "Mallory")
		third := testrig.StartRemote(t)
		inbox := n.URL + "/inbox"
		followID := alice.Follow(t, n)
		mallory.Follow(t, n)
		ourFollow := followRemote(t, n, alice)

		tests := []struct {
			name   string
			from   *testrig.Remote
			object any
		}{
			{"Undo of alice's Follow of a third party", alice, map[string]any{
				"id": alice.ActorIRI + "/follows/third", "type": "Follow", "actor": alice.ActorIRI, "object": third.ActorIRI}},
			{"Undo of alice's Follow of a third party, with the id of her follow of us", alice, map[string]any{
				"id": followID, "type": "Follow", "actor": alice.ActorIRI, "object": third.ActorIRI}},
			{"Undo of a Follow with no actor of a third party", alice, map[string]any{
				"id": alice.ActorIRI + "/follows/third-2", "type": "Follow", "object": third.ActorIRI}},
			{"Undo of an unknown Follow by IRI", alice, alice.ActorIRI + "/follows/unknown"},
			{"Undo of our follow of alice by IRI", alice, ourFollow},
			{"Undo of alice's follow by mallory, by IRI", mallory, followID},
			{"Undo of mallory's Follow of a third party", mallory, map[string]any{
				"id": mallory.ActorIRI + "/follows/third", "type": "Follow", "actor": mallory.ActorIRI, "object": third.ActorIRI}},
		}
		for i, tt := range tests {
			t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
				follows := func() [3]followState {
					return [3]followState{stateOf(followerRow(t, n, alice)), stateOf(followerRow(t, n, mallory)), stateOf(followOf(t, n, alice))}
				}
				before := follows()
				r := tt.from.Post(t, inbox, activity(tt.from, "undos/"+string(rune('a'+i)), "Undo", tt.object))
				if r.Status != http.StatusAccepted {
					t.Fatalf("answer %d %s, want 202", r.Status, r.Body)
				}
				settled(t, n)
				if after := follows(); after != before {
					t.Errorf("the Undo changed the follows:\nbefore %+v\nafter  %+v", before, after)
				}
			})
		}

		// Alice's Undo of her follow of us, in a Follow object of her
		// server's making, removes her and only her.
		if r := alice.Post(t, inbox, activity(alice, "undos/own", "Undo", map[string]any{
			"id": alice.ActorIRI + "/follows/remade", "type": "Follow", "actor": alice.ActorIRI, "object": nodeActor(n)})); r.Status != http.StatusAccepted {
			t.Fatalf("alice's own Undo: %d %s", r.Status, r.Body)
		}
		settled(t, n)
		if _, err := followerRow(t, n, alice); err == nil {
			t.Error("alice still follows after her own Undo")
		}
		if f, err := followerRow(t, n, mallory); err != nil || f.State != models.FollowAccepted {
			t.Errorf("mallory's follow after alice's Undo: %+v, %v", f, err)
		}
	})
}

// TestAnswerOnlyOurFollowOfTheSigner: an Accept or Reject of a Follow that
// is not our follow of its sender (a third party's, ours of a third party,
// an id we did not send) leaves our follows pending; the Accept of ours
// accepts it.
func TestAnswerOnlyOurFollowOfTheSigner(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: fast})
		alice := testrig.StartRemote(t)
		mallory := alice.AddActor(t, "mallory", "Mallory")
		third := testrig.StartRemote(t)
		inbox := n.URL + "/inbox"
		for _, rm := range []*testrig.Remote{alice, third} {
			if r := n.API(t, http.MethodPost, "/follows", map[string]string{"target": rm.ActorIRI}); r.Status != http.StatusAccepted {
				t.Fatalf("follow %s: %d %s", rm.ActorIRI, r.Status, r.Body)
			}
		}
		ourFollowOf := func(rm *testrig.Remote) string {
			f, err := followOf(t, n, rm)
			if err != nil {
				t.Fatal(err)
			}
			return f.ActivityID
		}
		toAlice, toThird := ourFollowOf(alice), ourFollowOf(third)
		me := nodeActor(n)

		tests := []struct {
			name, typ string
			from      *testrig.Remote
			object    any
		}{
			{"Accept of a third party's Follow of alice", "Accept", alice, map[string]any{
				"id": third.ActorIRI + "/follows/alice", "type": "Follow", "actor": third.ActorIRI, "object": alice.ActorIRI}},
			{"Accept of our Follow of a third party", "Accept", alice, map[string]any{
				"id": alice.ActorIRI + "/follows/x", "type": "Follow", "actor": me, "object": third.ActorIRI}},
			{"Accept with our id naming a third party", "Accept", alice, map[string]any{
				"id": toAlice, "type": "Follow", "actor": third.ActorIRI, "object": alice.ActorIRI}},
			{"Accept of our follow of a third party by IRI", "Accept", alice, toThird},
			{"Accept of an unknown Follow by IRI", "Accept", alice, alice.ActorIRI + "/follows/unknown"},
			{"Accept of our follow of alice by mallory", "Accept", mallory, toAlice},
			{"Accept of our follow of alice by mallory, embedded", "Accept", mallory, map[string]any{
				"id": toAlice, "type": "Follow", "actor": me, "object": alice.ActorIRI}},
			{"Accept of something else", "Accept", alice, map[string]any{
				"id": alice.ActorIRI + "/offers/1", "type": "Offer", "actor": me, "object": alice.ActorIRI}},
			{"Reject of a third party's Follow of alice", "Reject", alice, map[string]any{
				"id": third.ActorIRI + "/follows/alice", "type": "Follow", "actor": third.ActorIRI, "object": alice.ActorIRI}},
			{"Reject of our follow of a third party by IRI", "Reject", alice, toThird},
		}
		for i, tt := range tests {
			t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
				follows := func() [2]followState {
					return [2]followState{stateOf(followOf(t, n, alice)), stateOf(followOf(t, n, third))}
				}
				before := follows()
				r := tt.from.Post(t, inbox, activity(tt.from, "answers/"+string(rune('a'+i)), tt.typ, tt.object))
				if r.Status != http.StatusAccepted {
					t.Fatalf("answer %d %s, want 202", r.Status, r.Body)
				}
				settled(t, n)
				if after := follows(); after != before {
					t.Errorf("the %s changed our follows:\nbefore %+v\nafter  %+v", tt.typ, before, after)
				}
			})
		}

		// Alice's Accept of our follow of her, by its id, accepts it and
		// nothing else.
		if r := alice.Post(t, inbox, activity(alice, "answers/own", "Accept", toAlice)); r.Status != http.StatusAccepted {
			t.Fatalf("alice's own Accept: %d %s", r.Status, r.Body)
		}
		testrig.Eventually(t, "our follow of alice is accepted", func() bool {
			f, err := followOf(t, n, alice)
			return err == nil && f.State == models.FollowAccepted
		})
		if f, err := followOf(t, n, third); err != nil || f.State != models.FollowPending {
			t.Errorf("our follow of the third party: %+v, %v; want pending", f, err)
		}
	})
}
