package liveness

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// newProcess is the Process of a node whose data folder is dir, on the
// SQLite store at dbPath (opened for it alone, as another process would).
func newProcess(t *testing.T, dir, dbPath string) (*Process, *models.Store) {
	t.Helper()
	ctx := context.Background()
	store, err := models.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return New(dir, store, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now), store
}

func heartbeatOf(t *testing.T, store *models.Store, id string) (time.Time, bool) {
	t.Helper()
	ps, err := store.Processes.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.ID == id {
			return p.HeartbeatAt, true
		}
	}
	return time.Time{}, false
}

// A process that ends without stopping leaves its lock file free; a
// sibling in the same data folder marks it dead, and a live one it leaves
// alone. A process that stops forgets itself.
func TestProcessLockFiles(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "pollen.db")
	a, _ := newProcess(t, dir, dbPath)
	b, store := newProcess(t, dir, dbPath)
	ctx := context.Background()
	releaseA := a.Hold(ctx)
	releaseB := b.Hold(ctx)
	defer releaseB()
	idA, idB := a.ID(), b.ID()
	if idA == idB {
		t.Fatalf("two processes share the ID %s", idA)
	}
	if _, ok := a.Current(); !ok {
		t.Fatal("a registered process is not alive")
	}
	b.reap(ctx)
	if at, ok := heartbeatOf(t, store, idA); !ok || at.Before(time.Now().Add(-time.Minute)) {
		t.Fatalf("a live process was marked dead (heartbeat %v, known %v)", at, ok)
	}

	// a "crashes": its lock goes with its file descriptor, its row stays.
	a.life.Lock()
	_ = a.lock.f.Close()
	a.lock = nil
	a.life.Unlock()
	a.stop()
	<-a.done
	b.reap(ctx)
	if at, ok := heartbeatOf(t, store, idA); !ok || !at.Before(time.Unix(1, 0)) {
		t.Errorf("the crashed process's heartbeat is %v (known %v), want it marked dead", at, ok)
	}
	releaseA()
	if _, ok := heartbeatOf(t, store, idA); ok {
		t.Errorf("a stopped process is still in the table")
	}
}

// A process that cannot renew its heartbeat stops the work it has in
// flight and claims nothing more.
func TestProcessLapseStopsWork(t *testing.T) {
	dir := t.TempDir()
	s, store := newProcess(t, dir, filepath.Join(dir, "pollen.db"))
	release := s.Hold(context.Background())
	defer release()
	alive, ok := s.Current()
	if !ok {
		t.Fatal("a registered process is not alive")
	}
	_ = store.Close() // every heartbeat from now on fails
	select {
	case <-alive.Done():
	case <-time.After(time.Minute):
		t.Fatal("the work of a process whose heartbeat fails was not stopped")
	}
	if _, ok := s.Current(); ok {
		t.Error("a process whose heartbeat lapsed may still claim")
	}
}
