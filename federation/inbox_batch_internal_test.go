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

// TestProcessBatch: a claimed batch is carried out in order, the runs of
// new case studies stored together, and every activity is marked once:
// an Update right after its Create edits the stored case study, a Create
// from a peer not followed stores nothing, and a second Create of an
// object in the same run ends the run, then is taken as processing one
// at a time takes it (as a newer version, having no dates).
func TestProcessBatch(t *testing.T) {
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
	actors := map[string]models.Actor{}
	for _, name := range []string{"ann", "bob"} {
		a := models.Actor{IRI: "http://b.example/users/" + name, Type: "Person", Handle: name, Host: "b.example", Inbox: "http://b.example/users/" + name + "/inbox"}
		if err := store.Actors.UpsertRemote(ctx, &a); err != nil {
			t.Fatal(err)
		}
		actors[name] = a
	}
	follow := models.Follow{ActivityID: "http://here.example/follows/1", ActorID: local.ID, TargetID: actors["ann"].ID, Outbound: true, State: models.FollowAccepted}
	if err := store.Follows.Save(ctx, &follow); err != nil {
		t.Fatal(err)
	}
	steps := []struct{ id, typ, actor, object, name string }{
		{"c1", "Create", "ann", "a1", "First"},
		{"c2", "Create", "ann", "a2", "Second"},
		{"u1", "Update", "ann", "a1", "First, edited"},
		{"c3", "Create", "bob", "b1", "Not followed"},
		{"c4", "Create", "ann", "a4", "Fourth"},
		{"c5", "Create", "ann", "a4", "Fourth again"},
	}
	for _, st := range steps {
		actor := "http://b.example/users/" + st.actor
		payload := fmt.Sprintf(`{"id":%q,"type":%q,"actor":%q,"object":{"id":%q,"type":"Article","attributedTo":%q,
			"name":%q,"summary":"s","content":"<p>c</p>","to":"as:Public"}}`,
			actor+"/activities/"+st.id, st.typ, actor, actor+"/articles/"+st.object, actor, st.name)
		if _, err := store.Activities.Record(ctx, &models.Activity{IRI: actor + "/activities/" + st.id, Type: st.typ, ActorIRI: actor, Payload: payload}); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	acts, err := store.Activities.Claim(ctx, models.ActivityClaim{Limit: 100, MaxAttempts: 8, RetryBefore: now, Now: now, Lease: time.Minute, Worker: "test"})
	if err != nil || len(acts) != len(steps) {
		t.Fatalf("claim = %d, %v", len(acts), err)
	}
	if done, err := s.inbox.processBatch(ctx, acts); done != len(acts) || err != nil {
		t.Fatalf("processBatch = %d, %v; want %d, nil", done, err, len(acts))
	}
	counts, err := store.Activities.Counts(ctx)
	if err != nil || counts[models.ActivityDone] != int64(len(steps)) {
		t.Errorf("counts = %v, %v; want all %d done", counts, err, len(steps))
	}
	tests := []struct {
		iri, name string // name "" for none stored
	}{
		{"http://b.example/users/ann/articles/a1", "First, edited"},
		{"http://b.example/users/ann/articles/a2", "Second"},
		{"http://b.example/users/bob/articles/b1", ""},
		{"http://b.example/users/ann/articles/a4", "Fourth again"},
	}
	for _, tt := range tests {
		c, err := store.CaseStudies.ByIRI(ctx, tt.iri)
		switch {
		case tt.name == "" && err == nil:
			t.Errorf("%s stored, want nothing", tt.iri)
		case tt.name != "" && (err != nil || c.Title != tt.name):
			t.Errorf("%s = %q, %v; want %q", tt.iri, c.Title, err, tt.name)
		}
	}
	for _, a := range acts {
		got, err := store.Activities.ByIRI(ctx, a.IRI)
		if err != nil || got.Attempts != 1 || got.LockedBy != "" {
			t.Errorf("%s: attempts %d, locked by %q, %v; want processed once and unlocked", a.IRI, got.Attempts, got.LockedBy, err)
		}
	}
}
