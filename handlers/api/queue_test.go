package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/testrig"
)

// The node's own delivery runner sends queued activities through the
// signing transport, and GET /api/v1/queue shows the outcome.
func TestQueue(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		signed := make(chan string, 2)
		rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			signed <- r.Header.Get("Signature")
			if r.URL.Path == "/refuses" {
				w.WriteHeader(http.StatusForbidden)
				return
			}
			w.WriteHeader(http.StatusAccepted)
		}))
		t.Cleanup(rc.Close)
		ctx := context.Background()
		actor, err := n.Service.LocalActor(ctx)
		if err != nil {
			t.Fatalf("local actor: %v", err)
		}
		id := n.URL + "/activities/1"
		body := []byte(`{"id":"` + id + `","type":"Create"}`)
		// Queued as publishing queues, in the store; the runner finds the
		// jobs at its next look.
		if err := n.Store.Deliveries.Enqueue(ctx, id, actor.ID, body, []string{rc.URL + "/inbox", rc.URL + "/refuses"}); err != nil {
			t.Fatalf("EnqueueDeliveries: %v", err)
		}
		var v federation.QueueView
		deadline := time.Now().Add(20 * time.Second)
		for {
			n.API(t, http.MethodGet, "/queue", nil).Decode(t, &v)
			if v.Counts.Done == 1 && v.Counts.Dead == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("queue never settled: %+v", v.Counts)
			}
			time.Sleep(20 * time.Millisecond)
		}
		for i := 0; i < 2; i++ {
			if sig := <-signed; sig == "" {
				t.Error("a delivery came unsigned")
			}
		}
		if len(v.Jobs) != 1 || v.Jobs[0].State != "dead" || v.Jobs[0].LastStatus != 403 || v.Jobs[0].LastError == "" {
			t.Errorf("jobs by default (all but done): %+v", v.Jobs)
		}
		n.API(t, http.MethodGet, "/queue?state=done&limit=5", nil).Decode(t, &v)
		if len(v.Jobs) != 1 || v.Jobs[0].Inbox != rc.URL+"/inbox" || v.Jobs[0].DeliveredAt == nil {
			t.Errorf("done jobs: %+v", v.Jobs)
		}

		for _, q := range []string{"?state=lost", "?limit=0", "?limit=x", "?limit=101"} {
			if r := n.API(t, http.MethodGet, "/queue"+q, nil); r.Status != http.StatusBadRequest {
				t.Errorf("GET /queue%s: %d, want 400", q, r.Status)
			}
		}
		if r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/queue", nil, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("GET /queue without a token: %d, want 401", r.Status)
		}
	})
}
