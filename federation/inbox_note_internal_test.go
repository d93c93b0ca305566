package federation

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/models"
)

// TestSpoofedNoteUpdate: an Update that passed the door before the note
// was stored (so its owner was unknown then), by another actor of the same
// host, changes nothing when processed: the store refuses another
// author's note (ErrConflict) and the processing ends without error.
func TestSpoofedNoteUpdate(t *testing.T) {
	ctx := context.Background()
	store, err := models.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.BaseURL, _ = url.Parse("http://here.example")
	s := New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	local, err := s.EnsureLocalActor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var actors []models.Actor
	for _, name := range []string{"ann", "mallory"} {
		a := models.Actor{IRI: "http://b.example/users/" + name, Type: "Person", Handle: name, Host: "b.example", Inbox: "http://b.example/users/" + name + "/inbox"}
		if err := store.Actors.UpsertRemote(ctx, &a); err != nil {
			t.Fatal(err)
		}
		actors = append(actors, a)
	}
	ann, mallory := actors[0], actors[1]
	iri := "http://b.example/users/ann/notes/1"
	note := models.Note{IRI: iri, ActorID: ann.ID, Content: "<p>ann's</p>", Visibility: models.VisibilityPublic,
		InReplyTo: local.IRI, Published: time.Now().UTC()}
	if err := store.Notes.Save(ctx, &note); err != nil {
		t.Fatal(err)
	}
	act, err := parseActivity(fmt.Appendf(nil, `{"id":"http://b.example/users/mallory/u/1","type":"Update","actor":%q,
		"object":{"id":%q,"type":"Note","attributedTo":%q,"content":"spoofed","to":"as:Public",
		"tag":{"type":"Mention","href":%q}}}`, mallory.IRI, iri, mallory.IRI, local.IRI))
	if err != nil {
		t.Fatal(err)
	}
	if err := (inbound{Inbox: s.inbox, act: act, actor: mallory, local: local}).createOrUpdate(ctx); err != nil {
		t.Fatalf("the spoofed Update: %v", err)
	}
	got, err := store.Notes.ByIRI(ctx, iri)
	if err != nil || got.Content != "<p>ann's</p>" || got.ActorID != ann.ID {
		t.Errorf("after the spoofed Update the note is %+v, %v", got, err)
	}
	if list, err := store.Notifications.Page(ctx, models.NotificationQuery{}); err != nil || len(list) != 0 {
		t.Errorf("notifications %+v, %v; want none", list, err)
	}
}
