package node_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/testrig"
)

// announces is how many announces of the case study iri n holds.
func announces(t *testing.T, n *testrig.Node, iri string) int64 {
	t.Helper()
	ctx := context.Background()
	cs, err := n.Store.CaseStudies.ByIRI(ctx, iri)
	if err != nil {
		t.Fatal(err)
	}
	c, err := n.Store.Announces.Count(ctx, cs.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestInboundAnnounces: a hub's Announce of a member's case study, read
// by a node following the hub, is kept and shows as a boost on its home
// timeline; anyone's Announce of one of our case studies is kept and
// notified (reblog); the announcer's Undo removes it, another's does not.
func TestInboundAnnounces(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		plain := startNodes(t, db, 2)
		a, b := plain[0], plain[1]
		h := testrig.StartNode(t, testrig.Options{DB: testrig.Fresh(t, db.Name), Configure: hub})
		follow(t, h, a)
		follow(t, b, h)
		cs := publish(t, a, "Boosted by the hub")
		id := cs["id"].(string)
		testrig.Eventually(t, "B has processed H's Announce", func() bool { return processed(t, b, announceID(h, id)) })
		if got := announces(t, b, id); got != 1 {
			t.Errorf("B holds %d announces of the case study, want 1", got)
		}
		items, err := b.Statuses.Timeline(context.Background(), service.TimelineFilter{Timeline: service.TimelineHome, Limit: 40})
		if err != nil {
			t.Fatal(err)
		}
		boosted := false
		for _, it := range items {
			boosted = boosted || (it.Kind == models.KindAnnounce && it.IRI == announceID(h, id) && it.Reblog != nil && it.Reblog.IRI == id)
		}
		if !boosted {
			t.Errorf("B's home timeline %+v has no boost of %s by H", items, id)
		}

		// Anyone's Announce of our case study.
		rm := testrig.StartRemote(t)
		mallory := rm.AddActor(t, "mallory", "Mallory")
		boost := activity(rm, "announces/1", "Announce", id)
		boost["cc"] = []string{nodeActor(a)}
		post(t, a, rm, boost)
		row, err := a.Store.CaseStudies.ByIRI(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if got := announces(t, a, id); got != 1 || !notified(t, a, models.NotifyReblog, rm.ActorIRI, row.StatusID) {
			t.Errorf("after a stranger's Announce of ours: %d announces, reblog notified %v", got, notified(t, a, models.NotifyReblog, rm.ActorIRI, row.StatusID))
		}
		undo := activity(mallory, "undo/1", "Undo", boost["id"])
		undo["cc"] = []string{nodeActor(a)}
		post(t, a, mallory, undo)
		if got := announces(t, a, id); got != 1 {
			t.Errorf("another actor's Undo left %d announces, want 1", got)
		}
		post(t, a, rm, activity(rm, "undo/1", "Undo", map[string]any{"id": boost["id"], "type": "Announce", "actor": rm.ActorIRI, "object": id}))
		if got := announces(t, a, id); got != 0 {
			t.Errorf("the announcer's Undo left %d announces, want 0", got)
		}
		if r := rm.Post(t, a.URL+"/inbox", activity(rm, "announces/2", "Announce", a.URL+"/case-studies/none")); r.Status != http.StatusAccepted {
			t.Errorf("an Announce of nothing of ours: %d %s", r.Status, r.Body)
		}
		settled(t, a)
	})
}
