package federation_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// publicKeyOfSize is an RSA public key with a random odd modulus of
// exactly bits bits: enough to publish, and to cost what a real key of
// that size costs to verify with.
func publicKeyOfSize(t *testing.T, bits int) *rsa.PublicKey {
	t.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), uint(bits)))
	if err != nil {
		t.Fatal(err)
	}
	n.SetBit(n, bits-1, 1)
	n.SetBit(n, 0, 1)
	return &rsa.PublicKey{N: n, E: 65537}
}

// TestOversizedKeyRefused: checking a signature costs about the square of
// the key's size, so an actor publishing a huge RSA key (a 65536-bit one
// is an 11 KB PEM and costs 0.4 s a verification; 262144 bits, 2.7 s)
// could make each request it signs costly. Such an actor is not cached and
// its requests are refused; a key of MaxKeyBits is still taken.
func TestOversizedKeyRefused(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		n := testrig.StartNode(t, testrig.Options{DB: db})
		rm := testrig.StartRemote(t)

		big := rm.URL + "/users/big"
		rm.Serve(big, personDoc(t, big, big+"#main-key", publicKeyOfSize(t, 65536)))
		_, err := n.Service.Fetcher().FetchActor(ctx, big)
		var fe *apperr.Error
		if !errors.As(err, &fe) || fe.Kind != apperr.BadGateway || !strings.Contains(fe.Message, "more than the 8192 allowed") {
			t.Errorf("actor with a 65536-bit key: err = %v, want a 502 naming the limit", err)
		}
		status, body := postSigned(t, n.URL+"/inbox", big+"#main-key", rm.Key, map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams", "id": big + "/follows/1", "type": "Follow",
			"actor": big, "object": n.URL + "/actors/" + n.Config.Handle,
		})
		if status != http.StatusUnauthorized {
			t.Errorf("request signed with a 65536-bit key: %d %s, want 401", status, body)
		}
		if _, err := n.Store.Actors.ByIRI(ctx, big); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the actor with the oversized key was stored (err = %v)", err)
		}

		edge := rm.URL + "/users/edge"
		rm.Serve(edge, personDoc(t, edge, edge+"#main-key", publicKeyOfSize(t, httpsig.MaxKeyBits)))
		if _, err := n.Service.Fetcher().FetchActor(ctx, edge); err != nil {
			t.Errorf("actor with a %d-bit key: %v", httpsig.MaxKeyBits, err)
		}
	})
}
