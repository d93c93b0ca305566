package node_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// dbState is what a refused activity must not change.
type dbState struct {
	Activities, Follows, CaseStudies, Replies int64
}

func snapshot(t *testing.T, n *testrig.Node, slug string) dbState {
	t.Helper()
	ctx := context.Background()
	var st dbState
	counts, err := n.Store.Activities.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range counts {
		st.Activities += c
	}
	local, err := n.Service.LocalActor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, st.Follows, err = n.Store.Follows.Followers(ctx, local.ID, "", 1, 0); err != nil {
		t.Fatal(err)
	}
	if _, st.CaseStudies, err = n.Store.CaseStudies.List(ctx, models.CaseStudyQuery{}); err != nil {
		t.Fatal(err)
	}
	cs, err := n.Store.CaseStudies.BySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	if _, st.Replies, err = n.Store.Notes.Discussion(ctx, cs.ID, 1, 0); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestInboxRefusals sends every kind of bad activity to a node's shared
// inbox as real signed HTTP from a remote server, and checks the answer
// and that nothing changed: no activity, follow, case study or reply.
func TestInboxRefusals(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: fast})
		rm := testrig.StartRemote(t)
		other := testrig.StartRemote(t)
		cs := publish(t, n, "Refusals")
		iri, slug := cs["id"].(string), cs["slug"].(string)
		inbox := n.URL + "/inbox"
		nodeActor := n.URL + "/actors/" + n.Config.Handle
		wrongKey, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		reply := func(i int) map[string]any {
			return mastodonCreate(rm, mastodonNote(rm, i, iri, n, "A refused reply.", time.Now()))
		}
		follow := map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams",
			"id":       rm.ActorIRI + "/follows/refused", "type": "Follow", "actor": rm.ActorIRI, "object": nodeActor,
		}
		// A reply accepted once, to be replayed.
		replayed := reply(99)
		if r := rm.Post(t, inbox, replayed); r.Status != http.StatusAccepted {
			t.Fatalf("the first delivery of the replayed reply: %d %s", r.Status, r.Body)
		}
		testrig.Eventually(t, "the first reply is stored", func() bool {
			_, err := n.Store.Notes.ByIRI(context.Background(), statusIRI(rm, 99))
			return err == nil
		})

		tests := []struct {
			name   string
			send   func() testrig.Response
			status int
			reason string
		}{
			{"unsigned", func() testrig.Response {
				return testrig.Do(t, http.MethodPost, inbox, follow, map[string]string{"Content-Type": "application/activity+json"})
			}, 401, "not signed"},
			{"signed with another key", func() testrig.Response {
				body, _ := json.Marshal(follow)
				return rm.PostWith(t, inbox, body, time.Now(), func(r *http.Request) {
					if err := httpsig.Sign(r, httpsig.Key{KeyID: rm.KeyID, Key: wrongKey}, body, time.Now()); err != nil {
						t.Fatal(err)
					}
				})
			}, 401, "does not verify"},
			{"signature spoiled", func() testrig.Response {
				return rm.PostWith(t, inbox, follow, time.Now(), func(r *http.Request) {
					r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), `signature="`, `signature="AAAA`, 1))
				})
			}, 401, "signature"},
			{"stale Date", func() testrig.Response {
				return rm.PostWith(t, inbox, follow, time.Now().Add(-2*time.Hour), nil)
			}, 401, "stale"},
			{"Date in the future", func() testrig.Response {
				return rm.PostWith(t, inbox, follow, time.Now().Add(2*time.Hour), nil)
			}, 401, "future"},
			{"Digest of another body", func() testrig.Response {
				return rm.PostWith(t, inbox, follow, time.Now(), func(r *http.Request) {
					// Signed, Digest and all, for another body.
					key := httpsig.Key{KeyID: rm.KeyID, Key: rm.Key}
					if err := httpsig.Sign(r, key, []byte(`{"type":"Follow"}`), time.Now()); err != nil {
						t.Fatal(err)
					}
				})
			}, 401, "Digest does not match"},
			{"Digest replaced after signing", func() testrig.Response {
				return rm.PostWith(t, inbox, follow, time.Now(), func(r *http.Request) {
					sum := sha256.Sum256([]byte(`{"type":"Follow"}`))
					r.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
				})
			}, 401, "does not verify"},
			{"signer is not the actor", func() testrig.Response {
				spoof := reply(1)
				spoof["actor"] = other.ActorIRI
				spoof["id"] = other.ActorIRI + "/statuses/1/activity"
				spoof["object"].(map[string]any)["attributedTo"] = other.ActorIRI
				return rm.Post(t, inbox, spoof)
			}, 403, "not by the activity's actor"},
			{"Create of an object of another origin", func() testrig.Response {
				spoof := reply(2)
				spoof["object"].(map[string]any)["id"] = other.ActorIRI + "/statuses/2"
				return rm.Post(t, inbox, spoof)
			}, 403, "another origin"},
			{"object attributed to someone else", func() testrig.Response {
				spoof := reply(3)
				spoof["object"].(map[string]any)["attributedTo"] = nodeActor
				return rm.Post(t, inbox, spoof)
			}, 403, "attributed"},
			{"replayed", func() testrig.Response { return rm.Post(t, inbox, replayed) }, 409, "received before"},
			{"malformed JSON", func() testrig.Response {
				return rm.Post(t, inbox, []byte(`{"type":"Follow","actor":`))
			}, 400, ""},
			{"over 1 MiB", func() testrig.Response {
				big := reply(4)
				big["object"].(map[string]any)["content"] = strings.Repeat("a", 1<<20)
				return rm.Post(t, inbox, big)
			}, 413, ""},
		}
		for _, tt := range tests {
			t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
				before := snapshot(t, n, slug)
				r := tt.send()
				if r.Status != tt.status {
					t.Fatalf("answer %d %s, want %d", r.Status, r.Body, tt.status)
				}
				if !strings.Contains(string(r.Body), tt.reason) {
					t.Errorf("answer %s does not give the reason %q", r.Body, tt.reason)
				}
				// Give the inbox processor a chance to run, then look: the
				// probe, a Delete of nothing from an actor with a reply
				// here, is stored and changes nothing.
				if r := rm.Post(t, inbox, map[string]any{
					"@context": "https://www.w3.org/ns/activitystreams",
					"id":       rm.ActorIRI + "/probe/" + strings.ReplaceAll(tt.name, " ", "-"), "type": "Delete",
					"actor": rm.ActorIRI, "object": rm.ActorIRI + "/statuses/probe",
				}); r.Status != http.StatusAccepted {
					t.Fatalf("probe: %d %s", r.Status, r.Body)
				}
				testrig.Eventually(t, "the probe is processed", func() bool {
					counts, _ := n.Store.Activities.Counts(context.Background())
					return counts[models.ActivityPending] == 0
				})
				after := snapshot(t, n, slug)
				after.Activities-- // the probe
				if after != before {
					t.Errorf("the database changed: before %+v, after %+v", before, after)
				}
			})
		}
		// Nothing followed, nothing stored beyond the accepted reply.
		var f federation.FollowList
		n.API(t, http.MethodGet, "/followers", nil).Decode(t, &f)
		if f.Total != 0 {
			t.Errorf("%d followers after the refusals, want 0", f.Total)
		}
	})
}
