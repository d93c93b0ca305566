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
			cached, err := b.Store.Actors.ByIRI(context.Background(), actor.IRI)
			return err == nil && cached.Name == "Renamed Council"
		})
	})
}

// After a key rotation, followers take the new key (from the Update that
// announces it, or by fetching it again when a signature fails) and keep
// receiving case studies.
func TestKeyRotation(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		nodes := startNodes(t, db, 2)
		a, b := nodes[0], nodes[1]
		follow(t, b, a)
		ctx := context.Background()
		before, err := a.Service.LocalActor(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Service.RotateKey(ctx); err != nil {
			t.Fatal(err)
		}
		after, _ := a.Service.LocalActor(ctx)
		if after.PublicKeyPEM == before.PublicKeyPEM || after.PrivateKeyPEM == before.PrivateKeyPEM {
			t.Fatal("RotateKey kept the old key pair")
		}
		testrig.Eventually(t, "b caches the new key", func() bool {
			cached, err := b.Store.Actors.ByIRI(ctx, after.IRI)
			return err == nil && cached.PublicKeyPEM == after.PublicKeyPEM
		})
		cs := publish(t, a, "Signed with the new key")
		testrig.Eventually(t, "b accepts a case study signed with the new key", func() bool { return inFeed(t, b, cs["id"].(string)) })
	})
}
