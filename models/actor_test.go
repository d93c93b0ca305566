package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

func newActor(iri string, local bool) models.Actor {
	return models.Actor{
		IRI: iri, Local: local, Type: "Organization", Handle: "org", Host: "a.example",
		Name: "Org", Inbox: iri + "/inbox", SharedInbox: "https://a.example/inbox",
		KeyID: iri + "#main-key", PublicKeyPEM: "PUBLIC", Published: time.Now().UTC().Truncate(time.Second),
	}
}

func TestActors(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)

		local := newActor("https://a.example/actors/org", true)
		local.PrivateKeyPEM = "PRIVATE"
		if err := s.Actors.Create(ctx, &local); err != nil {
			t.Fatalf("create local actor: %v", err)
		}
		if local.ID == 0 {
			t.Fatal("Actors.Create did not set the ID")
		}
		dup := newActor(local.IRI, false)
		if err := s.Actors.Create(ctx, &dup); !errors.Is(err, models.ErrConflict) {
			t.Errorf("create with a taken IRI: %v, want ErrConflict", err)
		}

		got, err := s.Actors.Local(ctx, "org")
		if err != nil || got.ID != local.ID || got.PrivateKeyPEM != "PRIVATE" {
			t.Fatalf("Actors.Local(org) = %+v, %v", got, err)
		}
		if _, err := s.Actors.Local(ctx, "nobody"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Actors.Local(nobody): %v, want ErrNotFound", err)
		}
		if got, err := s.Actors.ByKeyID(ctx, local.KeyID); err != nil || got.ID != local.ID {
			t.Errorf("Actors.ByKeyID = %d, %v", got.ID, err)
		}
		if got, err := s.Actors.ByID(ctx, local.ID); err != nil || got.IRI != local.IRI {
			t.Errorf("Actors.ByID = %q, %v", got.IRI, err)
		}
		if _, err := s.Actors.ByIRI(ctx, "https://a.example/actors/none"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Actors.ByIRI(unknown): %v, want ErrNotFound", err)
		}

		local.Name = "Renamed"
		if err := s.Actors.Save(ctx, &local); err != nil {
			t.Fatalf("save: %v", err)
		}
		if got, _ := s.Actors.ByIRI(ctx, local.IRI); got.Name != "Renamed" {
			t.Errorf("after save, name = %q", got.Name)
		}

		// A remote actor is inserted, then replaced in place.
		remote := newActor("https://b.example/actors/peer", false)
		remote.PrivateKeyPEM = "must not be kept"
		if err := s.Actors.UpsertRemote(ctx, &remote); err != nil {
			t.Fatalf("upsert new remote: %v", err)
		}
		firstID := remote.ID
		again := newActor(remote.IRI, false)
		again.Name = "Peer, renamed"
		if err := s.Actors.UpsertRemote(ctx, &again); err != nil {
			t.Fatalf("upsert known remote: %v", err)
		}
		if again.ID != firstID {
			t.Errorf("upsert gave ID %d, want the same row %d", again.ID, firstID)
		}
		got, err = s.Actors.ByIRI(ctx, remote.IRI)
		if err != nil || got.Name != "Peer, renamed" || got.Local || got.PrivateKeyPEM != "" {
			t.Errorf("remote after upsert = %+v, %v", got, err)
		}

		locals, err := s.Actors.ListLocal(ctx)
		if err != nil || len(locals) != 1 || locals[0].ID != local.ID {
			t.Errorf("Actors.ListLocal = %d actors, %v; want only the local one", len(locals), err)
		}
	})
}
