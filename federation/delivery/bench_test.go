package delivery_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/delivery"
	"github.com/pollen-coop/pollen/federation/transport"
	"github.com/pollen-coop/pollen/testrig"
)

// BenchmarkFanOut delivers one activity to 1,000 distinct inboxes (63 paths
// on each of 16 loopback hosts, 127.0.0.1 to 127.0.0.16) through the real
// signing transport (RSA-2048), with the default worker bounds, and reports
// deliveries a second beside the RSA-2048 signing rate measured in the same
// run: one delivery costs one signature.
func BenchmarkFanOut(b *testing.B) {
	for _, kind := range testrig.Kinds {
		b.Run(kind, func(b *testing.B) { benchFanOut(b, testrig.Fresh(b, kind)) })
	}
}

func benchFanOut(b *testing.B, db testrig.DB) {
	const hosts, perHost = 16, 63
	var inboxes []string
	for h := 1; h <= hosts; h++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", h))
		if err != nil {
			b.Skipf("listen on 127.0.0.%d: %v", h, err)
		}
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusAccepted)
		}))
		srv.Listener = l
		srv.Start()
		b.Cleanup(srv.Close)
		for p := 0; p < perHost && len(inboxes) < 1000; p++ {
			inboxes = append(inboxes, fmt.Sprintf("%s/users/%d/inbox", srv.URL, p))
		}
	}
	store := testrig.Store(b, db)
	// The default bounds (16 workers, 4 per host) and HTTP timeout; a
	// timed-out delivery on a loaded machine is retried, not a failure.
	cfg := deliveryConfig()
	def := config.Default()
	cfg.DeliveryWorkers, cfg.DeliveryPerHost, cfg.HTTPTimeout = def.DeliveryWorkers, def.DeliveryPerHost, def.HTTPTimeout
	tr := transport.New(cfg, "bench", time.Now)
	svc, actor := newDeliveryServiceAt(b, store, cfg, time.Now,
		delivery.WithPoster(delivery.TransportPoster{Transport: tr}), delivery.WithPoll(50*time.Millisecond))
	signs := signingRate(b)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	defer func() { cancel(); <-done }()

	payload := activity("http://a.example/activities/bench")
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		id := fmt.Sprintf("http://a.example/activities/bench-%d", i)
		if err := svc.Enqueue(ctx, id, actor, payload, inboxes); err != nil {
			b.Fatal(err)
		}
		want := int64((i + 1) * len(inboxes))
		for {
			c, err := store.Deliveries.Stats(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if c.Done == want {
				break
			}
			if c.Dead > 0 {
				b.Fatalf("deliveries given up: %+v", c)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	rate := float64(b.N*len(inboxes)) / elapsed.Seconds()
	b.ReportMetric(rate, "deliveries/s")
	b.ReportMetric(signs, "rsa2048-signs/s")
	b.ReportMetric(100*rate/signs, "%-of-signing")
}

// signingRate measures RSA-2048 PKCS#1 v1.5 SHA-256 signatures a second on
// all cores, as the delivery workers sign.
func signingRate(b *testing.B) float64 {
	key, err := testKey()
	if err != nil {
		b.Fatal(err)
	}
	digest := sha256.Sum256([]byte("(request-target): post /inbox"))
	const workers = 16
	var total int
	counts := make(chan int, workers)
	start := time.Now()
	stop := start.Add(500 * time.Millisecond)
	for w := 0; w < workers; w++ {
		go func() {
			n := 0
			for time.Now().Before(stop) {
				if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
					break
				}
				n++
			}
			counts <- n
		}()
	}
	for w := 0; w < workers; w++ {
		total += <-counts
	}
	return float64(total) / time.Since(start).Seconds()
}
