// Package liveness is a process's life as the other processes on one
// database see it: its ID in claims, a heartbeat renewed every few seconds,
// and a lock file in the data folder held while it lives. The runners of
// claimed work (delivery, the inbox) hold it while they run; a claim of a
// process found dead is taken over.
package liveness

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// Process liveness. A process renews its heartbeat every heartbeatEvery.
// Another process takes over its claims once its heartbeat is older than
// heartbeatStale (at once if it left a lock file that is free: it ended).
// A process that could not renew its heartbeat for heartbeatFence stops
// the work it has in flight, well before any other may take it over, so
// that two live processes never work on one job (the hosts' clocks must
// agree to within the difference).
const (
	heartbeatEvery = 2 * time.Second
	heartbeatStale = 8 * time.Second
	heartbeatFence = 5 * time.Second
	// forgetProcesses is how long a dead process stays in the table.
	forgetProcesses = 24 * time.Hour
	// storeTimeout bounds the release of the claims at the end, which
	// must land even while the node shuts down.
	storeTimeout = 10 * time.Second
)

// Process is this process as other processes see it: its ID in claims,
// its heartbeat and its lock file. The heartbeat runs while any runner
// holds it (delivery, inbox), so that it outlives the attempts that finish
// during a shutdown. It is safe for concurrent use.
type Process struct {
	dir   string
	store *models.Store
	log   *slog.Logger
	now   func() time.Time

	// life guards the heartbeat's start and stop, and id.
	life    sync.Mutex
	id      string
	started time.Time
	holders int
	stop    context.CancelFunc
	done    chan struct{}
	lock    *processLock

	// mu guards alive, lapse and fence.
	mu sync.Mutex
	// alive is the context of the work claimed now: it ends when the
	// heartbeat lapses (fence), and is nil until a heartbeat lands again.
	alive context.Context
	lapse context.CancelFunc
	fence *time.Timer
}

// New makes the Process of a node whose data folder is dataDir (its lock
// file goes in dataDir/processes), writing its heartbeat to store at the
// times clock now gives. Nothing starts before the first Hold.
func New(dataDir string, store *models.Store, log *slog.Logger, now func() time.Time) *Process {
	return &Process{dir: filepath.Join(dataDir, "processes"), store: store, log: log, now: now}
}

// processID names one run of this process in claims: host, process and
// a random part, new each time the heartbeat starts.
func processID() string {
	host, _ := os.Hostname()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// ID is the process's ID in claims; it stays the same while the
// heartbeat is held.
func (l *Process) ID() string {
	l.life.Lock()
	defer l.life.Unlock()
	return l.id
}

// StaleBefore is the time before which another process's heartbeat is
// stale at now: a claim by a process whose heartbeat is older may be
// taken over.
func StaleBefore(now time.Time) time.Time { return now.Add(-heartbeatStale) }

// Current returns the context for work claimed now, which ends if the
// heartbeat lapses; ok is false while it has lapsed (or before the first
// Hold), when nothing may be claimed.
func (l *Process) Current() (ctx context.Context, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.alive, l.alive != nil
}

// Hold keeps the heartbeat running until release is called. The first
// holder registers the process before hold returns (so that its first
// claim already takes over the work of processes found dead) and starts
// the heartbeat; the last release stops it, releases any claim left and
// forgets the process. ctx bounds the registration only.
func (l *Process) Hold(ctx context.Context) (release func()) {
	l.life.Lock()
	defer l.life.Unlock()
	l.holders++
	if l.holders == 1 {
		l.start(ctx)
	}
	var once sync.Once
	return func() { once.Do(l.release) }
}

func (l *Process) release() {
	l.life.Lock()
	defer l.life.Unlock()
	if l.holders--; l.holders > 0 {
		return
	}
	l.stop()
	<-l.done
	l.mu.Lock()
	l.fence.Stop()
	if l.lapse != nil {
		l.lapse()
	}
	l.alive, l.lapse = nil, nil
	l.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if err := l.store.Processes.End(ctx, l.id); err != nil {
		l.log.Warn("releasing this process's claims", "err", err)
	}
	if l.lock != nil {
		l.lock.unlock()
		l.lock = nil
	}
	l.log.Debug("process stopped", "process", l.id)
}

// start registers the process and starts its heartbeat; l.life is held.
func (l *Process) start(ctx context.Context) {
	l.id, l.started = processID(), l.now()
	l.mu.Lock()
	l.fence = time.AfterFunc(time.Hour, l.lapsed)
	l.fence.Stop()
	l.mu.Unlock()
	lock, err := lockProcess(l.dir, l.id)
	if err != nil {
		l.log.Warn("no process lock file: a crashed process's claims are taken over when its heartbeat is stale, not at once", "dir", l.dir, "err", err)
	}
	l.lock = lock
	l.reap(ctx)
	l.beat(ctx)
	bctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	l.stop, l.done = stop, make(chan struct{})
	go l.run(bctx)
	l.log.Debug("process started", "process", l.id)
}

// run renews the heartbeat until ctx ends, and now and then looks for
// processes that ended and forgets those long dead.
func (l *Process) run(ctx context.Context) {
	defer close(l.done)
	t := time.NewTicker(heartbeatEvery)
	defer t.Stop()
	var purged time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		l.reap(ctx)
		l.beat(ctx)
		if now := l.now(); now.Sub(purged) > time.Hour {
			purged = now
			if _, err := l.store.Processes.Purge(ctx, now.Add(-forgetProcesses)); err != nil && ctx.Err() == nil {
				l.log.Warn("forgetting dead processes", "err", err)
			}
		}
	}
}

// beat renews the heartbeat. On success the fence is pushed back to
// heartbeatFence after the heartbeat's time.
func (l *Process) beat(ctx context.Context) {
	start := time.Now()
	bctx, cancel := context.WithTimeout(ctx, heartbeatEvery)
	host, _ := os.Hostname()
	err := l.store.Processes.Heartbeat(bctx, models.Process{ID: l.id, Host: host, PID: os.Getpid(), StartedAt: l.started, HeartbeatAt: l.now()})
	cancel()
	if err != nil {
		if ctx.Err() == nil {
			l.log.Warn("renewing this process's heartbeat", "err", err)
		}
		return
	}
	left := heartbeatFence - time.Since(start)
	if left <= 0 {
		return // too late to count: the fence falls anyway
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.alive == nil {
		l.alive, l.lapse = context.WithCancel(context.Background())
	}
	l.fence.Reset(left)
}

// lapsed stops the work in flight when the heartbeat could not be renewed
// in time: other processes may soon take it over.
func (l *Process) lapsed() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lapse == nil {
		return
	}
	l.lapse()
	l.alive, l.lapse = nil, nil
	l.log.Error("this process's heartbeat could not be renewed: stopping its work in flight, which other processes may take over")
}

// reap marks dead the processes whose lock file is free: they ended
// without stopping, so their claims can be taken over at once.
func (l *Process) reap(ctx context.Context) {
	if l.lock == nil {
		return
	}
	for _, id := range l.lock.deadSiblings() {
		if err := l.store.Processes.MarkDead(ctx, id); err != nil {
			if ctx.Err() == nil {
				l.log.Warn("marking an ended process dead", "process", id, "err", err)
			}
			continue
		}
		l.log.Info("a process ended without stopping; taking over its claims", "process", id)
	}
}
