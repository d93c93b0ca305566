package delivery_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/delivery"
	"github.com/pollen-coop/pollen/federation/liveness"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// plainPoster posts without signing: these tests are about the queue, not
// the signatures.
type plainPoster struct{ client *http.Client }

func (p plainPoster) Post(ctx context.Context, _ models.Actor, inbox string, body []byte) (int, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", ap.MediaTypeActivity)
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header, nil
}

// deliveryConfig is a node configuration with retries in milliseconds.
func deliveryConfig() config.Config {
	cfg := config.Default()
	cfg.BaseURL, _ = url.Parse("http://a.example")
	cfg.Handle = "org"
	cfg.AllowPrivateNetworks = true
	cfg.DeliveryRetryBase = 50 * time.Millisecond
	cfg.DeliveryWorkers = 8
	cfg.DeliveryPerHost = 4
	cfg.HTTPTimeout = 5 * time.Second
	cfg.ShutdownGracePeriod = 10 * time.Second
	return cfg
}

// testNode is one process's delivery runner over its store.
type testNode struct {
	*delivery.Runner
	store *models.Store
}

// Enqueue queues payload, the JSON of activity activityID signed by signer,
// for each inbox, the way publishing and answering follows do: in one
// transaction, then waking the runner.
func (n testNode) Enqueue(ctx context.Context, activityID string, signer models.Actor, payload []byte, inboxes []string) error {
	err := n.store.Atomically(ctx, func(tx *models.Store) error {
		return n.Runner.Enqueue(ctx, tx, activityID, signer, payload, inboxes)
	})
	if err != nil {
		return err
	}
	n.Wake()
	return nil
}

// newDeliveryService makes a runner over store with a plain poster and
// fast polling, and the organisation's actor.
func newDeliveryService(t *testing.T, store *models.Store, cfg config.Config, opts ...delivery.Option) (testNode, models.Actor) {
	t.Helper()
	return newDeliveryServiceAt(t, store, cfg, time.Now, opts...)
}

// newDeliveryServiceAt is newDeliveryService on the clock now.
func newDeliveryServiceAt(t testing.TB, store *models.Store, cfg config.Config, now func() time.Time, opts ...delivery.Option) (testNode, models.Actor) {
	t.Helper()
	cfg.DataDir = t.TempDir()
	opts = append([]delivery.Option{
		delivery.WithPoster(plainPoster{&http.Client{Timeout: cfg.HTTPTimeout}}),
		delivery.WithPoll(20 * time.Millisecond),
		delivery.WithClock(now),
	}, opts...)
	log := testrig.Logger(t)
	proc := liveness.New(cfg.DataDir, store, log, now)
	r := delivery.New(cfg, store, log, proc, opts...)
	return testNode{Runner: r, store: store}, localActor(t, store, cfg)
}

// testKey is the RSA-2048 key of the organisation's actor in every test,
// made once.
var testKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// localActor returns the organisation's actor in store, creating it with
// testKey on first use.
func localActor(t testing.TB, store *models.Store, cfg config.Config) models.Actor {
	t.Helper()
	ctx := context.Background()
	a, err := store.Actors.Local(ctx, cfg.Handle)
	if err == nil || !errors.Is(err, models.ErrNotFound) {
		if err != nil {
			t.Fatalf("local actor: %v", err)
		}
		return a
	}
	key, err := testKey()
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	iri := cfg.URL("/actors/" + cfg.Handle)
	a = models.Actor{
		IRI: iri, Local: true, Type: "Organization", Handle: cfg.Handle, Host: cfg.Host(),
		KeyID: iri + "#main-key", Inbox: iri + "/inbox", Followers: iri + "/followers",
		PrivateKeyPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		PublicKeyPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})),
		Published:     time.Now().UTC().Truncate(time.Second),
	}
	if err := store.Actors.Create(ctx, &a); err != nil {
		t.Fatalf("local actor: %v", err)
	}
	return a
}

// runDelivery runs the runner until the test ends, and returns a function
// that stops it and waits.
func runDelivery(t *testing.T, svc testNode) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// waitFor polls cond until it holds; the limit is a safety net, not a
// measured duration.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func stats(t *testing.T, s *models.Store) models.DeliveryCounts {
	t.Helper()
	c, err := s.Deliveries.Stats(context.Background())
	if err != nil {
		t.Fatalf("stats: %v", err)
	}
	return c
}

// receiver is an inbox server that counts what it receives by path and
// activity ID, answering with answer (202 when nil).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    map[string]int // "path activity-id" → count
	bodies map[string][]byte
	types  map[string]string
	answer func(w http.ResponseWriter, r *http.Request) bool // true: answered
}

func newReceiver(t *testing.T, answer func(w http.ResponseWriter, r *http.Request) bool) *receiver {
	rc := &receiver{got: map[string]int{}, bodies: map[string][]byte{}, types: map[string]string{}, answer: answer}
	rc.Server = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	if rc.answer != nil && rc.answer(w, r) {
		return
	}
	body, _ := io.ReadAll(r.Body)
	var act struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(body, &act)
	rc.mu.Lock()
	rc.got[r.URL.Path+" "+act.ID]++
	rc.bodies[r.URL.Path] = body
	rc.types[r.URL.Path] = r.Header.Get("Content-Type")
	rc.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

func (rc *receiver) count(path, activity string) int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.got[path+" "+activity]
}

func activity(id string) []byte {
	return []byte(fmt.Sprintf(`{"@context":"https://www.w3.org/ns/activitystreams","id":%q,"type":"Create"}`, id))
}

func TestDeliverOnce(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		store := testrig.Store(t, db)
		svc, actor := newDeliveryService(t, store, deliveryConfig())
		rc := newReceiver(t, nil)
		runDelivery(t, svc)

		id := "http://a.example/activities/1"
		inboxes := []string{rc.URL + "/inbox", rc.URL + "/users/b/inbox", rc.URL + "/inbox", "mailto:x@example.org"}
		payload := activity(id)
		if err := svc.Enqueue(context.Background(), id, actor, payload, inboxes); err != nil {
			t.Fatalf("Enqueue: %v", err)
		}
		waitFor(t, "2 deliveries", func() bool { return stats(t, store).Done == 2 })
		for _, p := range []string{"/inbox", "/users/b/inbox"} {
			if n := rc.count(p, id); n != 1 {
				t.Errorf("%s received the activity %d times, want once", p, n)
			}
			rc.mu.Lock()
			if !bytes.Equal(rc.bodies[p], payload) || rc.types[p] != ap.MediaTypeActivity {
				t.Errorf("%s received %q as %q", p, rc.bodies[p], rc.types[p])
			}
			rc.mu.Unlock()
		}
		ds, _ := store.Deliveries.Of(context.Background(), id)
		for _, d := range ds {
			if d.State != models.DeliveryDone || d.Attempts != 1 || d.LastStatus != http.StatusAccepted || d.DeliveredAt == nil {
				t.Errorf("job %+v", d)
			}
		}
	})
}

func TestDeliverRetriesUntilTheReceiverIsUp(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		store := testrig.Store(t, db)
		svc, actor := newDeliveryService(t, store, deliveryConfig())
		var calls atomic.Int32
		rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request) bool {
			switch calls.Add(1) {
			case 1: // down: the connection drops without an answer
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					_ = conn.Close()
				}
				return true
			case 2: // up but failing
				w.WriteHeader(http.StatusBadGateway)
				return true
			}
			return false
		})
		runDelivery(t, svc)
		id := "http://a.example/activities/retry"
		if err := svc.Enqueue(context.Background(), id, actor, activity(id), []string{rc.URL + "/inbox"}); err != nil {
			t.Fatalf("Enqueue: %v", err)
		}
		waitFor(t, "the delivery after retries", func() bool { return stats(t, store).Done == 1 })
		ds, _ := store.Deliveries.Of(context.Background(), id)
		if len(ds) != 1 || ds[0].Attempts != 3 || ds[0].LastStatus != http.StatusAccepted {
			t.Errorf("job after two failures: %+v", ds)
		}
		if n := rc.count("/inbox", id); n != 1 {
			t.Errorf("delivered %d times, want once", n)
		}
	})
}

func TestDeliverPermanentFailure(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		store := testrig.Store(t, db)
		var gone []string
		var mu sync.Mutex
		svc, actor := newDeliveryService(t, store, deliveryConfig(), delivery.WithInboxGone(func(_ context.Context, inbox string) error {
			mu.Lock()
			defer mu.Unlock()
			gone = append(gone, inbox)
			return nil
		}))
		var calls sync.Map // path → *atomic.Int32
		rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request) bool {
			n, _ := calls.LoadOrStore(r.URL.Path, new(atomic.Int32))
			n.(*atomic.Int32).Add(1)
			switch r.URL.Path {
			case "/forbidden":
				w.WriteHeader(http.StatusForbidden)
			case "/gone":
				w.WriteHeader(http.StatusGone)
			case "/unauthorized":
				// 401 is retried (a key not yet fetched, say), then accepted.
				if n.(*atomic.Int32).Load() > 1 {
					return false
				}
				w.WriteHeader(http.StatusUnauthorized)
			}
			return true
		})
		runDelivery(t, svc)
		id := "http://a.example/activities/permanent"
		inboxes := []string{rc.URL + "/forbidden", rc.URL + "/gone", rc.URL + "/unauthorized"}
		if err := svc.Enqueue(context.Background(), id, actor, activity(id), inboxes); err != nil {
			t.Fatalf("Enqueue: %v", err)
		}
		waitFor(t, "two dead jobs and one delivered", func() bool {
			c := stats(t, store)
			return c.Dead == 2 && c.Done == 1
		})
		ds, _ := store.Deliveries.Of(context.Background(), id)
		for _, d := range ds {
			if d.Inbox != rc.URL+"/unauthorized" && (d.Attempts != 1 || d.State != models.DeliveryDead) {
				t.Errorf("job to %s: %s after %d attempts, want dead after 1", d.Inbox, d.State, d.Attempts)
			}
		}
		for _, p := range []string{"/forbidden", "/gone"} {
			if n, _ := calls.Load(p); n.(*atomic.Int32).Load() != 1 {
				t.Errorf("%s was tried %d times, want once", p, n.(*atomic.Int32).Load())
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if len(gone) != 1 || gone[0] != rc.URL+"/gone" {
			t.Errorf("inbox-gone hook called with %v, want [%s/gone]", gone, rc.URL)
		}
	})
}

func TestDeliverHonoursRetryAfter(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		store := testrig.Store(t, db)
		// A clock that stands still once the jobs are queued: NextAttemptAt
		// is then exact.
		var clock atomic.Pointer[time.Time]
		start := time.Now()
		clock.Store(&start)
		svc, actor := newDeliveryServiceAt(t, store, deliveryConfig(), func() time.Time { return *clock.Load() })
		now := time.Now().Add(time.Second).UTC().Truncate(time.Second)
		clock.Store(&now)
		date := now.Add(2 * time.Hour)
		rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request) bool {
			switch r.URL.Path {
			case "/seconds":
				w.Header().Set("Retry-After", "3600")
				w.WriteHeader(http.StatusTooManyRequests)
			case "/date":
				w.Header().Set("Retry-After", date.Format(http.TimeFormat))
				w.WriteHeader(http.StatusServiceUnavailable)
			}
			return true
		})
		runDelivery(t, svc)
		id := "http://a.example/activities/later"
		if err := svc.Enqueue(context.Background(), id, actor, activity(id), []string{rc.URL + "/seconds", rc.URL + "/date"}); err != nil {
			t.Fatalf("Enqueue: %v", err)
		}
		waitFor(t, "two jobs to retry", func() bool { return stats(t, store).Retrying == 2 })
		want := map[string]time.Time{rc.URL + "/seconds": now.Add(time.Hour), rc.URL + "/date": date}
		ds, _ := store.Deliveries.Of(context.Background(), id)
		for _, d := range ds {
			if !d.NextAttemptAt.Equal(want[d.Inbox]) {
				t.Errorf("job to %s next tried at %v, want %v (Retry-After)", d.Inbox, d.NextAttemptAt, want[d.Inbox])
			}
			if d.LastStatus != http.StatusTooManyRequests && d.LastStatus != http.StatusServiceUnavailable {
				t.Errorf("job to %s: last status %d", d.Inbox, d.LastStatus)
			}
		}
	})
}

func TestDeliverPerHostBound(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		store := testrig.Store(t, db)
		cfg := deliveryConfig()
		cfg.DeliveryWorkers, cfg.DeliveryPerHost = 6, 2
		svc, actor := newDeliveryService(t, store, cfg)
		var total, totalMax atomic.Int32
		type gauge struct{ now, max atomic.Int32 }
		hosts := make([]*gauge, 4)
		var inboxes []string
		for i := range hosts {
			g := &gauge{}
			hosts[i] = g
			rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request) bool {
				setMax(&g.max, g.now.Add(1))
				setMax(&totalMax, total.Add(1))
				time.Sleep(5 * time.Millisecond) // hold the slot a moment
				g.now.Add(-1)
				total.Add(-1)
				return false
			})
			for j := 0; j < 15; j++ {
				inboxes = append(inboxes, fmt.Sprintf("%s/users/%d/inbox", rc.URL, j))
			}
		}
		runDelivery(t, svc)
		id := "http://a.example/activities/fan"
		if err := svc.Enqueue(context.Background(), id, actor, activity(id), inboxes); err != nil {
			t.Fatalf("Enqueue: %v", err)
		}
		waitFor(t, "every delivery", func() bool { return stats(t, store).Done == int64(len(inboxes)) })
		for i, g := range hosts {
			if m := g.max.Load(); m > 2 {
				t.Errorf("host %d saw %d concurrent deliveries, the bound is 2", i, m)
			}
		}
		if m := totalMax.Load(); m > 6 {
			t.Errorf("%d concurrent deliveries in all, the bound is 6", m)
		}
	})
}

func setMax(m *atomic.Int32, v int32) {
	for {
		old := m.Load()
		if v <= old || m.CompareAndSwap(old, v) {
			return
		}
	}
}
