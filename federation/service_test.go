package federation_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/testrig"
)

func TestLocalActorAndProfile(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		store := testrig.Store(t, db)
		cfg := config.Default()
		cfg.Name = "First name"
		svc := federation.New(cfg, store, testrig.Logger(t))
		first, err := svc.EnsureLocalActor(ctx)
		if err != nil || first.PrivateKeyPEM == "" || first.Name != "First name" {
			t.Fatalf("EnsureLocalActor = %+v, %v", first, err)
		}
		// Two processes starting at once: the second uses the first's actor.
		again, err := federation.New(cfg, store, testrig.Logger(t)).EnsureLocalActor(ctx)
		if err != nil || again.ID != first.ID || again.PrivateKeyPEM != first.PrivateKeyPEM {
			t.Errorf("a second EnsureLocalActor made another actor or key: %v", err)
		}

		// A command run with other settings changes nothing...
		other := cfg
		other.Name = "Another name"
		cli := federation.New(other, store, testrig.Logger(t))
		if a, err := cli.EnsureLocalActor(ctx); err != nil || a.Name != "First name" {
			t.Errorf("EnsureLocalActor with another name = %q, %v; want the profile unchanged", a.Name, err)
		}
		// ...but serve's SyncProfile brings the profile in line.
		if a, err := cli.SyncProfile(ctx); err != nil || a.Name != "Another name" || a.ID != first.ID {
			t.Errorf("SyncProfile = %q, %v", a.Name, err)
		}

		// The base URL the node was set up with cannot change.
		moved := cfg
		moved.BaseURL, _ = url.Parse("https://elsewhere.example")
		_, err = federation.New(moved, store, testrig.Logger(t)).EnsureLocalActor(ctx)
		if err == nil || !strings.Contains(err.Error(), "POLLEN_BASE_URL") {
			t.Errorf("EnsureLocalActor under another base URL: %v, want an error naming POLLEN_BASE_URL", err)
		}
	})
}
