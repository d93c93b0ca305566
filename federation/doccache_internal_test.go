package federation

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/models"
)

// A reply received, then deleted by its author, shows at once in the
// served Article (its replies' first page), cached in between.
func TestReceivedRepliesInvalidateServedArticle(t *testing.T) {
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
	now, slug := time.Now().UTC().Truncate(time.Second), "lib"
	cs := models.CaseStudy{IRI: s.CaseStudyIRI("lib"), URL: s.CaseStudyIRI("lib"), Slug: &slug, Local: true, ActorID: local.ID,
		Title: "Libraries", Summary: "S", Body: "B", Published: now, Updated: now}
	if err := store.CaseStudies.Create(ctx, &cs); err != nil {
		t.Fatal(err)
	}
	ann := models.Actor{IRI: "http://b.example/users/ann", Type: "Person", Handle: "ann", Host: "b.example", Inbox: "http://b.example/users/ann/inbox"}
	if err := store.Actors.UpsertRemote(ctx, &ann); err != nil {
		t.Fatal(err)
	}
	served := func() string {
		d, err := s.Documents().Cache().Serve(ctx, "case study lib", time.Now(), func(ctx context.Context) (any, bool, error) {
			return s.Documents().CaseStudyDocument(ctx, "lib")
		})
		if err != nil {
			t.Fatal(err)
		}
		return string(d.Body)
	}
	reply := "http://b.example/users/ann/notes/1"
	if body := served(); strings.Contains(body, reply) {
		t.Fatalf("a reply before any: %s", body)
	}
	for _, step := range []struct {
		activity string
		want     bool
	}{
		{fmt.Sprintf(`{"id":"http://b.example/users/ann/c/1","type":"Create","actor":%q,"object":{"id":%q,"type":"Note",
			"attributedTo":%q,"content":"a reply","to":"as:Public","inReplyTo":%q}}`, ann.IRI, reply, ann.IRI, cs.IRI), true},
		{fmt.Sprintf(`{"id":"http://b.example/users/ann/d/1","type":"Delete","actor":%q,"object":%q}`, ann.IRI, reply), false},
	} {
		act, err := parseActivity([]byte(step.activity))
		if err != nil {
			t.Fatal(err)
		}
		in := inbound{Inbox: s.inbox, act: act, actor: ann, local: local}
		if act.Type == "Delete" {
			err = in.delete(ctx)
		} else {
			err = in.createOrUpdate(ctx)
		}
		if err != nil {
			t.Fatalf("%s: %v", act.Type, err)
		}
		if got := strings.Contains(served(), reply); got != step.want {
			t.Errorf("after the %s the served Article lists the reply: %v, want %v", act.Type, got, step.want)
		}
	}
}
