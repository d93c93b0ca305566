package node_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/policy"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// cli is who changes the policy in these tests.
var cli = policy.Who{Name: "command line"}

// seen is what a reader of n finds of the blocked peers: for each page,
// feed and timeline, whether it holds the text it should hold before the
// blocks.
func seen(t *testing.T, n *testrig.Node, checks [][2]string) map[[2]string]bool {
	t.Helper()
	out := map[[2]string]bool{}
	for _, c := range checks {
		header := map[string]string{}
		if strings.Contains(c[0], "/replies") {
			header["Accept"] = "application/activity+json"
		}
		r := testrig.Do(t, http.MethodGet, n.URL+c[0], nil, header)
		if r.Status != http.StatusOK && r.Status != http.StatusNotFound {
			t.Fatalf("GET %s: %d %s", c[0], r.Status, r.Body)
		}
		out[c] = strings.Contains(string(r.Body), c[1])
	}
	return out
}

// TestDomainAndActorBlocks: a node blocks a peer node's domain (its
// authority, port included) and a remote actor. Their follows go, their
// content leaves every page, feed and timeline, their signed activities
// are answered 403 with the reason and nothing is stored, nothing is
// fetched from the blocked node and nothing follows it; lifting the
// blocks shows the content again.
func TestDomainAndActorBlocks(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		nodes := startNodes(t, db, 2)
		a, b := nodes[0], nodes[1]
		follow(t, a, b)
		follow(t, b, a)
		own := publish(t, a, "Our own library")
		slug := own["slug"].(string)
		rm := testrig.StartRemote(t)
		rm.Follow(t, a)
		if r := rm.Post(t, a.URL+"/inbox", mastodonCreate(rm, mastodonNote(rm, 1, own["id"].(string), a, "Lovely reply from alice.", time.Now()))); r.Status != http.StatusAccepted {
			t.Fatalf("reply: %d %s", r.Status, r.Body)
		}
		peer := publish(t, b, "Peer library kept open")
		testrig.Eventually(t, "the peer's case study reaches the node", func() bool { return inFeed(t, a, peer["id"].(string)) })
		received, err := a.Store.CaseStudies.ByIRI(ctx, peer["id"].(string))
		if err != nil {
			t.Fatal(err)
		}
		const peerTitle, replyText = "Peer library kept open", "Lovely reply"
		var checks [][2]string
		for _, p := range []string{"/feed", "/api/v1/feed?limit=100", "/feed.atom", "/feed.rss", "/feed.json",
			"/api/v1/timelines/public?limit=40", "/feed/items/" + strconv.FormatInt(received.StatusID, 10)} {
			checks = append(checks, [2]string{p, peerTitle})
		}
		checks = append(checks, [2]string{"/case-studies/" + slug, replyText}, [2]string{"/api/v1/timelines/public?limit=40", replyText},
			[2]string{"/case-studies/" + slug + "/replies", statusIRI(rm, 1)})
		testrig.Eventually(t, "the reply is in the discussion", func() bool { return seen(t, a, checks)[checks[len(checks)-1]] })
		for c, ok := range seen(t, a, checks) {
			if !ok {
				t.Errorf("before the blocks, %s does not show %q", c[0], c[1])
			}
		}
		bFollow, err := followBetween(t, b, nodeActor(a), nodeActor(b))
		if err != nil {
			t.Fatal(err)
		}

		bHost := b.Config.Host()
		if removed, err := a.Service.Policy().Block(ctx, cli, bHost, "spam"); err != nil || removed != 2 {
			t.Fatalf("Block(%s) = %d, %v; want the 2 follows removed", bHost, removed, err)
		}
		if removed, err := a.Service.Policy().BlockActor(ctx, cli, rm.ActorIRI, ""); err != nil || removed != 1 {
			t.Fatalf("BlockActor = %d, %v; want its follow removed", removed, err)
		}
		for c, ok := range seen(t, a, checks) {
			if ok {
				t.Errorf("after the blocks, %s still shows %q", c[0], c[1])
			}
		}

		// A signed activity of a blocked actor: 403 with the reason,
		// nothing stored.
		before := activityCount(t, a)
		r := rm.Post(t, a.URL+"/inbox", mastodonCreate(rm, mastodonNote(rm, 2, own["id"].(string), a, "Another reply.", time.Now())))
		testrig.WantError(t, r, http.StatusForbidden, "blocked")
		// The blocked node's own deliveries are refused the same way.
		again := publish(t, b, "Peer library after the block")
		testrig.Eventually(t, "the blocked node's Create is refused with 403", func() bool {
			ds, err := b.Store.Deliveries.List(ctx, "", 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ds {
				if d.Host == a.Config.Host() && d.LastStatus == http.StatusForbidden && strings.Contains(string(d.Payload), again["id"].(string)) {
					return true
				}
			}
			return false
		})
		if after := activityCount(t, a); after != before {
			t.Errorf("the node stored %d activities from blocked peers", after-before)
		}
		if inFeed(t, a, again["id"].(string)) {
			t.Error("the blocked node's new case study was stored")
		}

		// Nothing is fetched from the blocked node, and it cannot be followed.
		r = a.API(t, http.MethodPost, "/follows", map[string]string{"target": b.URL + "/actors/" + b.Config.Handle})
		testrig.WantError(t, r, http.StatusForbidden, "blocked")
		if f, err := followBetween(t, b, nodeActor(a), nodeActor(b)); err != nil || f.ActivityID != bFollow.ActivityID {
			t.Errorf("the blocked node got a new Follow: %q, %v (had %q)", f.ActivityID, err, bFollow.ActivityID)
		}

		// Lifting the blocks shows the content again; the follows stay gone.
		if err := a.Service.Policy().Unblock(ctx, cli, bHost); err != nil {
			t.Fatal(err)
		}
		if err := a.Service.Policy().UnblockActor(ctx, cli, rm.ActorIRI); err != nil {
			t.Fatal(err)
		}
		for c, ok := range seen(t, a, checks) {
			if !ok {
				t.Errorf("after the blocks are lifted, %s does not show %q", c[0], c[1])
			}
		}
		if _, err := followBetween(t, a, nodeActor(a), nodeActor(b)); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("a follow came back with the lifted block: %v", err)
		}
	})
}

// TestAllowlistMode: a node in the allowlist mode hears and follows the
// domains on its list only: a listed node follows it and receives its
// case studies; an unlisted server's Follow is answered 403 and not
// stored, nothing is fetched from it, and a follower it had before the
// mode was turned on gets no deliveries.
func TestAllowlistMode(t *testing.T) {
	db := testrig.SQLite(t)
	a := testrig.StartNode(t, testrig.Options{DB: db, Configure: fast})
	b := testrig.StartNode(t, testrig.Options{Configure: fast})
	old := testrig.StartRemote(t)
	old.Follow(t, a) // before the allowlist mode
	opts := a.Options()
	opts.Configure = func(c *config.Config) {
		fast(c)
		c.FederationMode = config.FederationAllowlist
	}
	a.Stop()
	a = testrig.StartNode(t, opts)
	ctx := context.Background()
	if err := a.Service.Policy().Allow(ctx, cli, b.Config.Host(), "a council of the network"); err != nil {
		t.Fatal(err)
	}
	follow(t, b, a)

	rm := testrig.StartRemote(t)
	before := activityCount(t, a)
	r := rm.Post(t, a.URL+"/inbox", map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       rm.ActorIRI + "/follows/1", "type": "Follow", "actor": rm.ActorIRI, "object": nodeActor(a),
	})
	testrig.WantError(t, r, http.StatusForbidden, "allowlist")
	if after := activityCount(t, a); after != before {
		t.Errorf("an unlisted server's Follow was stored")
	}
	r = a.API(t, http.MethodPost, "/follows", map[string]string{"target": rm.ActorIRI})
	testrig.WantError(t, r, http.StatusForbidden, "allowlist")

	cs := publish(t, a, "Only for the network")
	testrig.Eventually(t, "the listed node receives the case study", func() bool { return inFeed(t, b, cs["id"].(string)) })
	testrig.Eventually(t, "the delivery to the unlisted follower is given up", func() bool {
		ds, err := a.Store.Deliveries.List(ctx, models.DeliveryDead, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.Host == strings.TrimPrefix(old.URL, "http://") && strings.Contains(d.LastError, "allowlist") {
				return true
			}
		}
		return false
	})
	if got := old.Received("Create"); len(got) != 0 {
		t.Errorf("the unlisted follower received %d Creates", len(got))
	}
}

// TestBlockedHostIsNotFetched: a search naming a URL of a blocked domain
// finds nothing and asks that domain nothing; lifted, the block lets
// the same URL be fetched.
func TestBlockedHostIsNotFetched(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{Configure: fast})
	var hits atomic.Int64
	peer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.NotFound(w, r)
	}))
	t.Cleanup(peer.Close)
	ctx := context.Background()
	host := strings.TrimPrefix(peer.URL, "http://")
	if _, err := n.Service.Policy().Block(ctx, cli, host, ""); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{peer.URL + "/notes/1", peer.URL + "/users/alice", "@alice@" + host} {
		_, err := n.Service.Resolve(ctx, q)
		if !errors.Is(err, policy.ErrBlocked) {
			t.Errorf("Resolve(%s) = %v, want a refusal of the policy", q, err)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("the blocked host was asked %d times", hits.Load())
	}
	if err := n.Service.Policy().Unblock(ctx, cli, host); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Service.Resolve(ctx, peer.URL+"/notes/1"); err == nil || hits.Load() == 0 {
		t.Errorf("after the block is lifted: %v, %d requests; want the host asked (and its 404)", err, hits.Load())
	}
}
