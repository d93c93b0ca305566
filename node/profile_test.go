package node_test

import (
	"context"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/testrig"
)

// A profile changed in the configuration reaches followers as an Update
// when the node starts again.
func TestProfileUpdateReachesFollowers(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		nodes := startNodes(t, db, 2)
		a, b := nodes[0], nodes[1]
		follow(t, b, a)
		actor, err := a.Service.LocalActor(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		a.Stop()
		opts := a.Options()
		opts.Configure = func(c *config.Config) { fast(c); c.Name = "Renamed Council"; c.Region = "Wales" }
		testrig.StartNode(t, opts)
		testrig.Eventually(t, "b sees the new name", func() bool {
			cached, err := b.Store.ActorByIRI(context.Background(), actor.IRI)
			return err == nil && cached.Name == "Renamed Council"
		})
	})
}
