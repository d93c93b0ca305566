package groupcommit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// fakeBatches stores activities in memory, as RecordBatch does: a repeated
// IRI is not inserted, an IRI ending in /bad fails. When gate is set, each
// commit first waits for it to be closed.
type fakeBatches struct {
	gate    chan struct{}
	started chan int // the size of each batch, as its commit starts
	mu      sync.Mutex
	stored  map[string]bool
}

func newFakeBatches(gated bool) *fakeBatches {
	f := &fakeBatches{stored: map[string]bool{}, started: make(chan int, 1000)}
	if gated {
		f.gate = make(chan struct{})
	}
	return f
}

func (f *fakeBatches) record(_ context.Context, as []*models.Activity) []models.ActivityRecorded {
	f.started <- len(as)
	if f.gate != nil {
		<-f.gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	rs := make([]models.ActivityRecorded, len(as))
	for i, a := range as {
		switch {
		case len(a.IRI) > 4 && a.IRI[len(a.IRI)-4:] == "/bad":
			rs[i].Err = errors.New("refused")
		case !f.stored[a.IRI]:
			f.stored[a.IRI] = true
			rs[i].Inserted = true
		}
	}
	return rs
}

func activity(iri string) *models.Activity {
	return &models.Activity{IRI: iri, Type: "Create", ActorIRI: "https://peer.example/u", Payload: "{}"}
}

// waitQueued waits until n requests wait for the next commit.
func waitQueued(t *testing.T, g *Committer, n int) {
	t.Helper()
	for len(g.reqs) < n {
		time.Sleep(time.Millisecond)
	}
}

type answer struct {
	inserted bool
	err      error
}

// recordAsync records a in the background; its answer arrives on the
// channel returned.
func recordAsync(ctx context.Context, g *Committer, a *models.Activity) <-chan answer {
	c := make(chan answer, 1)
	go func() {
		ok, err := g.Record(ctx, a)
		c <- answer{ok, err}
	}()
	return c
}

// Many senders at once: every activity is stored once, a repeat is
// reported as received before, and no commit holds more than
// MaxBatch.
func TestGroupCommitConcurrently(t *testing.T) {
	f := newFakeBatches(false)
	g := Start(f.record)
	defer g.Close()
	const senders, each = 16, 25
	var wg sync.WaitGroup
	var mu sync.Mutex
	inserted, repeats := 0, 0
	for s := 0; s < senders; s++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				// Every other sender repeats the previous one's activities.
				iri := fmt.Sprintf("https://peer.example/act/%d-%d", s/2, i)
				ok, err := g.Record(context.Background(), activity(iri))
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
	for len(f.started) > 0 {
		if n := <-f.started; n > MaxBatch {
			t.Errorf("a commit of %d activities", n)
		}
	}
}

// While a commit runs, the activities arriving wait, and the next commit
// takes all of them; a row that fails fails only its own caller.
func TestGroupCommitBatchesWhatWaits(t *testing.T) {
	f := newFakeBatches(true)
	g := Start(f.record)
	defer g.Close()
	first := recordAsync(context.Background(), g, activity("https://peer.example/act/first"))
	<-f.started
	var answers []<-chan answer
	for i := 0; i < 10; i++ {
		iri := fmt.Sprintf("https://peer.example/act/%d", i)
		if i == 3 {
			iri += "/bad"
		}
		answers = append(answers, recordAsync(context.Background(), g, activity(iri)))
	}
	waitQueued(t, g, 10)
	close(f.gate)
	if a := <-first; !a.inserted || a.err != nil {
		t.Errorf("first: %+v", a)
	}
	if n := <-f.started; n != 10 {
		t.Errorf("the second commit holds %d activities, want the 10 that waited", n)
	}
	for i, c := range answers {
		a := <-c
		if i == 3 {
			if a.err == nil || a.inserted {
				t.Errorf("the bad row: %+v, want an error", a)
			}
		} else if !a.inserted || a.err != nil {
			t.Errorf("activity %d: %+v", i, a)
		}
	}
}

// Close stores what was queued before it, answers those callers, and
// later calls get ErrClosed.
func TestGroupCommitCloseStoresQueued(t *testing.T) {
	f := newFakeBatches(true)
	g := Start(f.record)
	first := recordAsync(context.Background(), g, activity("https://peer.example/act/first"))
	<-f.started
	var answers []<-chan answer
	for i := 0; i < 5; i++ {
		answers = append(answers, recordAsync(context.Background(), g, activity(fmt.Sprintf("https://peer.example/act/%d", i))))
	}
	waitQueued(t, g, 5)
	closed := make(chan struct{})
	go func() {
		g.Close()
		close(closed)
	}()
	<-g.stopping
	select {
	case <-closed:
		t.Fatal("close returned before the queued activities were stored")
	default:
	}
	close(f.gate)
	<-closed
	for i, c := range append(answers, first) {
		if a := <-c; !a.inserted || a.err != nil {
			t.Errorf("activity %d queued before close: %+v", i, a)
		}
	}
	if len(f.stored) != 6 {
		t.Errorf("%d stored, want 6", len(f.stored))
	}
	if _, err := g.Record(context.Background(), activity("https://peer.example/act/late")); !errors.Is(err, ErrClosed) {
		t.Errorf("record after close: %v, want ErrClosed", err)
	}
	g.Close() // again: returns
}

// A caller whose context ends stops waiting for its commit.
func TestGroupCommitCallerContextEnds(t *testing.T) {
	f := newFakeBatches(true)
	g := Start(f.record)
	defer g.Close()
	busy := recordAsync(context.Background(), g, activity("https://peer.example/act/busy"))
	<-f.started
	ctx, cancel := context.WithCancel(context.Background())
	waiting := recordAsync(ctx, g, activity("https://peer.example/act/waiting"))
	waitQueued(t, g, 1)
	cancel()
	if a := <-waiting; !errors.Is(a.err, context.Canceled) {
		t.Errorf("a caller whose context ended: %+v, want context.Canceled", a)
	}
	close(f.gate)
	if a := <-busy; !a.inserted || a.err != nil {
		t.Errorf("busy: %+v", a)
	}
}
