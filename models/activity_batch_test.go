package models_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// TestRecordActivityConcurrently stores activities from many senders at
// once, as the inbox does under load: every one is stored once, and a
// repeat, even in the same commit, is reported as received before.
func TestRecordActivityConcurrently(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		const senders, each = 16, 25
		var wg sync.WaitGroup
		var mu sync.Mutex
		inserted, repeats := 0, 0
		for g := 0; g < senders; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					// Every other sender repeats the previous one's activities.
					iri := fmt.Sprintf("https://peer.example/act/%d-%d", g/2, i)
					ok, err := s.Activities.Record(ctx, &models.Activity{IRI: iri, Type: "Create", ActorIRI: "https://peer.example/u", Payload: "{}"})
					if err != nil {
						t.Errorf("record %s: %v", iri, err)
						return
					}
					mu.Lock()
					if ok {
						inserted++
					} else {
						repeats++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if inserted != senders/2*each || repeats != senders/2*each {
			t.Errorf("%d inserted and %d repeats, want %d of each", inserted, repeats, senders/2*each)
		}
		counts, err := s.Activities.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[models.ActivityPending] != int64(senders/2*each) {
			t.Errorf("%d activities stored, want %d", counts[models.ActivityPending], senders/2*each)
		}
		a, err := s.Activities.ByIRI(ctx, "https://peer.example/act/0-0")
		if err != nil || a.ID == 0 || a.State != models.ActivityPending {
			t.Errorf("a stored activity: %+v, %v", a, err)
		}
	})
}

func TestRecordActivityAfterClose(t *testing.T) {
	ctx := context.Background()
	s, err := models.Open(ctx, testrig.SQLite(t).DSN)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Activities.Record(ctx, &models.Activity{IRI: "https://peer.example/act/1", Type: "Create", ActorIRI: "https://peer.example/u", Payload: "{}"}); !ok || err != nil {
		t.Fatalf("record: %v, %v", ok, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Activities.Record(ctx, &models.Activity{IRI: "https://peer.example/act/2", Type: "Create", ActorIRI: "https://peer.example/u", Payload: "{}"}); !errors.Is(err, models.ErrClosed) {
		t.Errorf("record after close: %v, want ErrClosed", err)
	}
}
