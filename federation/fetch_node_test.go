package federation_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/federation/transport"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// TestTwoNodesSignedFetch runs two real nodes, on SQLite and on
// PostgreSQL: A fetches B's actor with a signed GET, and B verifies a
// signed GET and POST from A, fetching A's key from A.
func TestTwoNodesSignedFetch(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		a := testrig.StartNode(t, testrig.Options{DB: db})
		b := testrig.StartNode(t, testrig.Options{DB: testrig.Fresh(t, db.Name)})
		twoNodes(t, a, b)
	})
}

func twoNodes(t *testing.T, a, b *testrig.Node) {
	ctx := context.Background()

	bActor, err := b.Service.LocalActor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.Service.Fetcher().FetchActor(ctx, bActor.IRI)
	if err != nil {
		t.Fatalf("A fetches B's actor: %v", err)
	}
	if got.KeyID != bActor.KeyID || got.PublicKeyPEM != bActor.PublicKeyPEM || got.Inbox != bActor.Inbox || got.Local {
		t.Errorf("A's copy of B = %+v", got)
	}
	if _, err := a.Service.Fetcher().ResolveHandle(ctx, "@"+bActor.Handle+"@"+b.Config.Host()); err != nil {
		t.Errorf("A resolves B's handle: %v", err)
	}

	// B's side: a handler that verifies with B's store, as the host the
	// requests are signed for.
	verified := make(chan models.Actor, 1)
	var bAtSrv *federation.Service
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		signer, err := bAtSrv.VerifyRequest(r.Context(), r, body)
		if err != nil {
			t.Errorf("B refused A's signature: %v", err)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		verified <- signer
	}))
	cfg := b.Config
	cfg.BaseURL = &url.URL{Scheme: "http", Host: srv.Listener.Addr().String()}
	bAtSrv = federation.New(cfg, b.Store, b.Log)
	srv.Start()
	defer srv.Close()
	aActor, err := a.Service.LocalActor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tr := transport.New(a.Config, federation.Version, time.Now) // as A's node makes its own
	resp, err := tr.Get(ctx, aActor, srv.URL+"/actors/org", transport.AcceptActivity, transport.MaxDocumentSize)
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("signed GET: %+v, %v", resp, err)
	}
	if signer := <-verified; signer.IRI != aActor.IRI {
		t.Errorf("signer = %s, want %s", signer.IRI, aActor.IRI)
	}
	resp, err = tr.Post(ctx, aActor, srv.URL+"/inbox", []byte(`{"type":"Follow"}`))
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("signed POST: %+v, %v", resp, err)
	}
	if signer := <-verified; signer.IRI != aActor.IRI {
		t.Errorf("signer = %s, want %s", signer.IRI, aActor.IRI)
	}
}
