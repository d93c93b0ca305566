package node_test

import (
	"context"
	"encoding/json"
	"net/http"
	"path"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// nodeActor is the IRI of a node's organisation actor.
func nodeActor(n *testrig.Node) string { return n.URL + "/actors/" + n.Config.Handle }

// followRemote makes the node follow the Remote's actor, which accepts; it
// returns the Follow's id.
func followRemote(t *testing.T, n *testrig.Node, rm *testrig.Remote) string {
	t.Helper()
	if r := n.API(t, http.MethodPost, "/follows", map[string]string{"target": rm.ActorIRI}); r.Status != http.StatusAccepted {
		t.Fatalf("follow %s: %d %s", rm.ActorIRI, r.Status, r.Body)
	}
	var followID string
	testrig.Eventually(t, "the node's Follow of "+rm.ActorIRI+" arrives", func() bool {
		for _, g := range rm.Received("Follow") {
			var f struct{ ID, Object string }
			if json.Unmarshal(g.Body, &f) == nil && f.Object == rm.ActorIRI {
				followID = f.ID
				return true
			}
		}
		return false
	})
	if r := rm.Post(t, n.URL+"/inbox", map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams", "id": rm.ActorIRI + "/accepts/" + path.Base(followID), "type": "Accept",
		"actor": rm.ActorIRI, "object": map[string]any{"id": followID, "type": "Follow", "actor": nodeActor(n), "object": rm.ActorIRI},
	}); r.Status != http.StatusAccepted {
		t.Fatalf("Accept: %d %s", r.Status, r.Body)
	}
	testrig.Eventually(t, "the node's follow of "+rm.ActorIRI+" is accepted", func() bool {
		f, err := followOf(t, n, rm)
		return err == nil && f.State == models.FollowAccepted
	})
	return followID
}

// followOf is the node's follow of the Remote's actor.
func followOf(t *testing.T, n *testrig.Node, rm *testrig.Remote) (models.Follow, error) {
	t.Helper()
	return followBetween(t, n, nodeActor(n), rm.ActorIRI)
}

func followBetween(t *testing.T, n *testrig.Node, actor, target string) (models.Follow, error) {
	t.Helper()
	ctx := context.Background()
	a, err := n.Store.Actors.ByIRI(ctx, actor)
	if err != nil {
		return models.Follow{}, err
	}
	b, err := n.Store.Actors.ByIRI(ctx, target)
	if err != nil {
		return models.Follow{}, err
	}
	return n.Store.Follows.Between(ctx, a.ID, b.ID)
}

// activityCount is how many received activities the node holds.
func activityCount(t *testing.T, n *testrig.Node) int64 {
	t.Helper()
	counts, err := n.Store.Activities.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, c := range counts {
		total += c
	}
	return total
}

// settled waits until the node has processed every activity it stored.
func settled(t *testing.T, n *testrig.Node) {
	t.Helper()
	testrig.Eventually(t, "every stored activity is processed", func() bool {
		counts, err := n.Store.Activities.Counts(context.Background())
		return err == nil && counts[models.ActivityPending] == 0
	})
}

// followerRow is the Remote's actor's follow of the node.
func followerRow(t *testing.T, n *testrig.Node, rm *testrig.Remote) (models.Follow, error) {
	t.Helper()
	return followBetween(t, n, rm.ActorIRI, nodeActor(n))
}

// followState is a follow as a refusal must leave it: its row, or the
// error of looking it up.
type followState struct {
	State, Activity string
	Err             string
}

func stateOf(f models.Follow, err error) followState {
	if err != nil {
		return followState{Err: err.Error()}
	}
	return followState{State: f.State, Activity: f.ActivityID}
}

// activity is a minimal signed-activity body from rm.
func activity(rm *testrig.Remote, id, typ string, object any) map[string]any {
	return map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams", "id": rm.ActorIRI + "/" + id,
		"type": typ, "actor": rm.ActorIRI, "object": object,
	}
}

// deliveryJobs is how many delivery jobs the node has queued, in any state.
func deliveryJobs(t *testing.T, n *testrig.Node) int64 {
	t.Helper()
	c, err := n.Store.Deliveries.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c.Pending + c.Retrying + c.Done + c.Dead
}
