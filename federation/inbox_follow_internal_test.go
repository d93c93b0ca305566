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

// TestRepeatedFollowAnsweredAgainAfterAWhile: a follower's repeated Follow
// is not answered within followAnswerInterval of the last answer, and is
// answered once more after it.
func TestRepeatedFollowAnsweredAgainAfterAWhile(t *testing.T) {
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
	start := time.Now()
	now := start
	s := New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil)), WithClock(func() time.Time { return now }))
	local, err := s.EnsureLocalActor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	peer := models.Actor{IRI: "http://b.example/users/ann", Type: "Person", Handle: "ann", Host: "b.example", Inbox: "http://b.example/users/ann/inbox"}
	if err := store.Actors.UpsertRemote(ctx, &peer); err != nil {
		t.Fatal(err)
	}
	answers := func() int64 {
		c, err := store.Deliveries.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c.Pending + c.Retrying + c.Done + c.Dead
	}
	for i, step := range []struct {
		after time.Duration
		want  int64
	}{{0, 1}, {time.Minute, 1}, {2 * time.Minute, 1}, {followAnswerInterval + 5*time.Minute, 2}, {followAnswerInterval + 6*time.Minute, 2}} {
		now = start.Add(step.after)
		act, err := parseActivity(fmt.Appendf(nil, `{"id":"http://b.example/follows/%d","type":"Follow","actor":%q,"object":%q}`, i, peer.IRI, local.IRI))
		if err != nil {
			t.Fatal(err)
		}
		if err := (inbound{Inbox: s.inbox, act: act, actor: peer, local: local}).follow(ctx); err != nil {
			t.Fatalf("Follow %d: %v", i, err)
		}
		if got := answers(); got != step.want {
			t.Errorf("after the Follow at +%s: %d answers, want %d", step.after, got, step.want)
		}
	}
}
