package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// receiverHosts is how many loopback addresses the followers' inboxes are
// spread over (127.0.0.1 to 127.0.0.16), so that the node's per-host bound
// does not decide the rate.
const receiverHosts = 16

// receivers are the followers' inboxes: they count POSTs and answer 202.
type receivers struct {
	srvs     []*http.Server
	bases    []string
	got      atomic.Int64
	done     chan struct{}
	want     int64
	last     atomic.Int64 // unix nanoseconds of the latest POST
	doneOnce sync.Once
}

func newReceivers(want int) (*receivers, error) {
	r := &receivers{done: make(chan struct{}), want: int64(want)}
	h := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		w.WriteHeader(http.StatusAccepted)
		r.last.Store(time.Now().UnixNano())
		if r.got.Add(1) >= r.want {
			r.doneOnce.Do(func() { close(r.done) })
		}
	})
	for i := 1; i <= receiverHosts; i++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", i))
		if err != nil {
			r.close()
			return nil, err
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(l) }()
		r.srvs = append(r.srvs, srv)
		r.bases = append(r.bases, "http://"+l.Addr().String())
	}
	return r, nil
}

func (r *receivers) close() {
	for _, s := range r.srvs {
		_ = s.Close()
	}
}

// addFollowers writes count remote actors, each with its own inbox and no
// shared inbox, and their accepted follows of the node's actor straight
// into the node's database: the same rows a Follow handshake leaves.
func addFollowers(ctx context.Context, store *models.Store, r *receivers, count int) error {
	locals, err := store.Actors.ListLocal(ctx)
	if err != nil {
		return fmt.Errorf("the node's actor: %w", err)
	}
	if len(locals) == 0 {
		return errors.New("the node has no actor")
	}
	local := locals[0]
	now := time.Now().UTC()
	for i := 0; i < count; i++ {
		iri := fmt.Sprintf("%s/users/f%d", r.bases[i%len(r.bases)], i)
		a := models.Actor{
			IRI: iri, Type: "Person", Handle: fmt.Sprintf("f%d", i), Host: iri[len("http://"):],
			Inbox: iri + "/inbox", Outbox: iri + "/outbox", Followers: iri + "/followers",
			KeyID: iri + "#main-key", Published: now, FetchedAt: &now,
		}
		if err := store.Actors.UpsertRemote(ctx, &a); err != nil {
			return err
		}
		f := models.Follow{ActivityID: iri + "/follows/load", ActorID: a.ID, TargetID: local.ID, State: models.FollowAccepted}
		if err := store.Follows.Save(ctx, &f); err != nil {
			return err
		}
	}
	return nil
}

// signing is the signing rate of a run, measured on every core for two
// seconds just before it and again just after it: the machine's pace
// moves by a fifth between runs minutes apart, so one reading taken before
// a run that lasts several seconds is a loose limit for it.
type signing struct{ before, after float64 }

// measureSigning takes the reading before a run; done takes the one after.
func measureSigning() (signing, error) {
	r, err := signingRate(2 * time.Second)
	return signing{before: r}, err
}

func (s *signing) done() (err error) {
	s.after, err = signingRate(2 * time.Second)
	return err
}

// rate is the mean of the two readings, signatures a second on all cores.
func (s signing) rate() float64 { return (s.before + s.after) / 2 }

// String says the rate and both readings.
func (s signing) String() string {
	return fmt.Sprintf("%.0f RSA-2048 signs/s on %d cores (%.0f just before the run, %.0f just after)",
		s.rate(), runtime.GOMAXPROCS(0), s.before, s.after)
}

// signingRate is RSA-2048 PKCS#1 v1.5 SHA-256 signatures a second on every
// core, for d: the limit of delivery, which signs once per POST.
func signingRate(d time.Duration) (float64, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return 0, err
	}
	digest := sha256.Sum256([]byte("(request-target): post /inbox\nhost: example\ndate: now\ndigest: x"))
	var total atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	stop := start.Add(d)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
					return
				}
				total.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(total.Load()) / time.Since(start).Seconds(), nil
}

// measureFanOut publishes one case study to o.followers followers on as
// many inboxes and times its delivery, beside the signing rate.
func measureFanOut(ctx context.Context, o options, n *node, out io.Writer) error {
	r, err := newReceivers(o.followers)
	if err != nil {
		return err
	}
	defer r.close()
	store, err := models.Open(ctx, n.dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	setup := time.Now()
	if err := addFollowers(ctx, store, r, o.followers); err != nil {
		return fmt.Errorf("add followers: %w", err)
	}
	fmt.Fprintf(out, "fan-out set-up:     %d followers written in %s\n", o.followers, time.Since(setup).Round(time.Millisecond))
	if err := waitInboxIdle(ctx, store); err != nil {
		return err
	}
	signs, err := measureSigning()
	if err != nil {
		return err
	}
	run := startRun(n.pid)
	start := run.start
	if _, err := n.publish(ctx, "A leisure trust's first year"); err != nil {
		return err
	}
	select {
	case <-r.done:
	case <-time.After(5 * time.Minute):
		return fmt.Errorf("only %d of %d deliveries arrived in 5 minutes", r.got.Load(), o.followers)
	case <-ctx.Done():
		return ctx.Err()
	}
	elapsed := time.Unix(0, r.last.Load()).Sub(start)
	rate := float64(o.followers) / elapsed.Seconds()
	cpu, _ := cpuTime(n.pid)
	cpu = max(cpu-run.cpu, 10*time.Millisecond) // a tick at least
	busy, total := machineBusy()
	// The node marks each job done after the inbox answers: wait for it.
	var c models.DeliveryCounts
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err = store.Deliveries.Stats(ctx); err != nil {
			return err
		}
		if c.Done >= int64(o.followers) {
			break
		}
	}
	fmt.Fprintf(out, "fan-out:            %.0f deliveries/s: %d inboxes in %s (publish to last POST received); %d received, queue %+v\n",
		rate, o.followers, elapsed.Round(time.Millisecond), r.got.Load(), c)
	if err := signs.done(); err != nil {
		return err
	}
	fmt.Fprintf(out, "signing limit:      %s; fan-out is %.0f%% of it\n", signs, 100*rate/signs.rate())
	// What the node did with the CPU it got: deliveries a second of its
	// CPU beside signatures a second of one core. The receivers and the
	// database share the machine's cores with it.
	perCore := signs.rate() / float64(runtime.GOMAXPROCS(0))
	fmt.Fprintf(out, "fan-out CPU:        %s of node CPU (%.2f cores), %.2f ms a delivery against %.2f ms a signature: %.0f%% of the signing pace per core of the node's; the machine's cores %.0f%% busy meanwhile\n",
		cpu.Round(10*time.Millisecond), cpu.Seconds()/elapsed.Seconds(), 1000*cpu.Seconds()/float64(o.followers), 1000/perCore,
		100*(float64(o.followers)/cpu.Seconds())/perCore, 100*float64(busy-run.busy)/float64(max(1, total-run.total)))
	return nil
}

// waitInboxIdle waits until the node has processed every activity it
// received (the inbox phase leaves thousands), so that the fan-out and the
// signing rate have the machine to themselves.
func waitInboxIdle(ctx context.Context, store *models.Store) error {
	for deadline := time.Now().Add(5 * time.Minute); time.Now().Before(deadline); {
		c, err := store.Activities.Counts(ctx)
		if err != nil {
			return err
		}
		if c[models.ActivityPending] == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("the node still has received activities to process after 5 minutes")
}
