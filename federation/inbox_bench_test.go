package federation_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// BenchmarkReceiveActivity takes signed Create activities through the inbox
// path, 32 at once as the load command sends them: the signature and Digest
// verified with the sender's key cached, the body parsed, the origin
// checked, the sender found followed and the activity stored. The requests are signed before the
// clock starts; signing is the sender's cost, not the inbox's.
func BenchmarkReceiveActivity(b *testing.B) {
	for _, kind := range testrig.Kinds {
		b.Run(kind, func(b *testing.B) { benchReceive(b, testrig.Fresh(b, kind)) })
	}
}

func benchReceive(b *testing.B, db testrig.DB) {
	ctx := context.Background()
	store := testrig.Store(b, db)
	svc := federation.New(deliveryConfig(), store, testrig.Logger(b))
	b.Cleanup(svc.Inbox().Close)
	if _, err := svc.EnsureLocalActor(ctx); err != nil {
		b.Fatal(err)
	}
	privPEM, pubPEM, err := httpsig.GenerateKeyPEM()
	if err != nil {
		b.Fatal(err)
	}
	key, err := httpsig.ParsePrivateKeyPEM(privPEM)
	if err != nil {
		b.Fatal(err)
	}
	const actor = "http://peer.example/users/sender"
	now := time.Now().UTC()
	peer := models.Actor{
		IRI: actor, Type: "Person", Handle: "sender", Host: "peer.example", Inbox: actor + "/inbox",
		KeyID: actor + "#main-key", PublicKeyPEM: pubPEM, Published: now, FetchedAt: &now,
	}
	if err := store.Actors.UpsertRemote(ctx, &peer); err != nil {
		b.Fatal(err)
	}
	// The node stores only what it has a reason to hear: it follows the
	// peer, as the load command's node follows its senders.
	local, err := svc.LocalActor(ctx)
	if err != nil {
		b.Fatal(err)
	}
	follow := models.Follow{ActivityID: actor + "/follows/bench", ActorID: local.ID, TargetID: peer.ID, Outbound: true, State: models.FollowAccepted}
	if err := store.Follows.Save(ctx, &follow); err != nil {
		b.Fatal(err)
	}
	type signed struct {
		header http.Header
		body   []byte
	}
	reqs := make([]signed, b.N)
	for i := range reqs {
		obj := fmt.Sprintf("%s/articles/%d-%d", actor, i, now.UnixNano())
		body := []byte(fmt.Sprintf(`{"@context":"https://www.w3.org/ns/activitystreams","id":%q,"type":"Create","actor":%q,`+
			`"to":["https://www.w3.org/ns/activitystreams#Public"],"object":{"id":%q,"type":"Article","attributedTo":%q,`+
			`"name":"Case study %d","content":"<p>What was learned.</p>"}}`, obj+"/activity", actor, obj, actor, i))
		r := httptest.NewRequest(http.MethodPost, "http://a.example/inbox", bytes.NewReader(body))
		r.Header.Set("Content-Type", ap.MediaTypeActivity)
		if err := httpsig.Sign(r, httpsig.Key{KeyID: peer.KeyID, Key: key}, body, now); err != nil {
			b.Fatal(err)
		}
		reqs[i] = signed{header: r.Header, body: body}
	}
	var next atomic.Int64
	b.SetParallelism(16) // 32 goroutines on 2 cores
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s := reqs[next.Add(1)-1]
			r := httptest.NewRequest(http.MethodPost, "http://a.example/inbox", bytes.NewReader(s.body))
			r.Header = s.header
			signed, err := svc.VerifySignature(ctx, r)
			if err == nil {
				err = svc.Inbox().ReceiveActivity(ctx, signed, s.body)
			}
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "activities/s")
	counts, err := store.Activities.Counts(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if got := counts[models.ActivityPending]; got != int64(b.N) {
		b.Fatalf("%d activities stored, want %d", got, b.N)
	}
}
