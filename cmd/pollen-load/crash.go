package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// slowFollowers are inboxes that take a while to answer, each counting the
// deliveries it accepted: a POST whose sender goes away before the answer
// (killed) is not accepted.
type slowFollowers struct {
	srvs  []*http.Server
	bases []string
	delay time.Duration

	mu       sync.Mutex
	accepted map[int]int
	inFlight int
	lastAt   time.Time
}

func newSlowFollowers(delay time.Duration) (*slowFollowers, error) {
	f := &slowFollowers{delay: delay, accepted: map[int]int{}}
	h := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		// The path is /users/f<index>/inbox.
		idx, err := strconv.Atoi(strings.TrimPrefix(strings.Split(strings.TrimPrefix(req.URL.Path, "/users/"), "/")[0], "f"))
		if err != nil {
			http.NotFound(w, req)
			return
		}
		f.mu.Lock()
		f.inFlight++
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			f.inFlight--
			f.mu.Unlock()
		}()
		select {
		case <-time.After(f.delay):
		case <-req.Context().Done():
			return
		}
		f.mu.Lock()
		f.accepted[idx]++
		f.lastAt = time.Now()
		f.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	})
	for i := 1; i <= receiverHosts; i++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", i))
		if err != nil {
			f.close()
			return nil, err
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(l) }()
		f.srvs = append(f.srvs, srv)
		f.bases = append(f.bases, "http://"+l.Addr().String())
	}
	return f, nil
}

func (f *slowFollowers) close() {
	for _, s := range f.srvs {
		_ = s.Close()
	}
}

// state is how many followers accepted at least once and more than once,
// how many POSTs are being answered, and when the last was accepted.
func (f *slowFollowers) state() (reached, twice, inFlight int, last time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, n := range f.accepted {
		reached++
		if n > 1 {
			twice++
		}
	}
	return reached, twice, f.inFlight, f.lastAt
}

// measureCrash publishes to slow followers, kills the node with SIGKILL
// while deliveries are in flight, restarts it, and times from the restart
// to the last follower reached: restarted in the same data folder (the
// dead process's lock file is found free) and in another one, as on
// another host (its heartbeat must go stale first). o.starts runs each.
func measureCrash(ctx context.Context, o options, bin string, db *database, out io.Writer) error {
	fmt.Fprintf(out, "crash:              %d followers answering after %s, SIGKILL with deliveries in flight, restart at once\n", o.crashFollowers, o.crashDelay)
	for _, sameDir := range []bool{true, false} {
		var times []time.Duration
		for run := 0; run < o.starts; run++ {
			d, err := crashOnce(ctx, o, bin, db, sameDir, out)
			if err != nil {
				return err
			}
			times = append(times, d)
		}
		sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
		where := "same data folder (lock file)"
		if !sameDir {
			where = "other data folder (heartbeat)"
		}
		fmt.Fprintf(out, "crash, %-30s restart to last follower reached: min %s, median %s, max %s over %d runs\n",
			where+":", times[0].Round(10*time.Millisecond), times[len(times)/2].Round(10*time.Millisecond), times[len(times)-1].Round(10*time.Millisecond), len(times))
	}
	return nil
}

func crashOnce(ctx context.Context, o options, bin string, db *database, sameDir bool, out io.Writer) (time.Duration, error) {
	db.extra = nil
	if err := db.reset(ctx); err != nil {
		return 0, err
	}
	f, err := newSlowFollowers(o.crashDelay)
	if err != nil {
		return 0, err
	}
	defer f.close()
	n, err := startNode(ctx, bin, db)
	if err != nil {
		return 0, err
	}
	defer func() { n.stop() }()
	store, err := models.Open(ctx, n.dsn)
	if err != nil {
		return 0, err
	}
	err = addFollowers(ctx, store, &receivers{bases: f.bases}, o.crashFollowers)
	_ = store.Close()
	if err != nil {
		return 0, fmt.Errorf("add followers: %w", err)
	}
	if _, err := n.publish(ctx, "Published just before a crash"); err != nil {
		return 0, err
	}
	// Kill once the node's workers (16 by default) are all waiting.
	want := min(16, o.crashFollowers)
	if err := waitUntil(ctx, time.Minute, func() bool { _, _, in, _ := f.state(); return in >= want }); err != nil {
		return 0, fmt.Errorf("waiting for %d deliveries in flight: %w", want, err)
	}
	_ = n.cmd.Process.Kill()
	<-n.exit
	n.cmd = nil
	before, _, _, _ := f.state()
	if !sameDir {
		db.extra = []string{"POLLEN_DATA_DIR=" + filepath.Join(db.dir, "other"), "POLLEN_DATABASE_URL=" + db.storeDSN()}
	}
	restart := time.Now()
	n2, ready, err := spawn(ctx, bin, db)
	if err != nil {
		return 0, err
	}
	n = n2
	if err := waitUntil(ctx, 2*time.Minute, func() bool { r, _, _, _ := f.state(); return r == o.crashFollowers }); err != nil {
		r, _, _, _ := f.state()
		return 0, fmt.Errorf("%d of %d followers reached after the restart: %w", r, o.crashFollowers, err)
	}
	_, twice, _, last := f.state()
	took := last.Sub(restart)
	fmt.Fprintf(out, "  reached before the kill %d; restart to ready %s, to last follower %s; reached twice %d\n",
		before, ready.Round(10*time.Millisecond), took.Round(10*time.Millisecond), twice)
	return took, nil
}

// waitUntil polls cond every 10 ms for at most limit.
func waitUntil(ctx context.Context, limit time.Duration, cond func() bool) error {
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("not within %s", limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	return nil
}
