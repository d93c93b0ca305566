package hubsim

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pollen-coop/pollen/federation/httpsig"
)

// Followers are the hub's followers: actors spread over loopback
// addresses (127.0.0.1 and up, so that the hub's per-host bound does not
// decide the rate), each with its own inbox and no shared inbox, so that
// the hub signs one POST per follower. They share one RSA key (making
// thousands would take minutes, and only the hub's fetch of it is
// measured). Their inboxes record what each receives.
type Followers struct {
	bases  []string
	srvs   []*http.Server
	key    *rsa.PrivateKey
	pubPEM string

	mu       sync.Mutex
	got      []map[string]int // per follower: "Type actor object" → times received
	unsigned int
	accepts  atomic.Int64
	announce atomic.Int64
	want     atomic.Int64 // Announces awaited; done closes when they are in
	done     chan struct{}
	doneOnce sync.Once
	last     atomic.Int64 // unix nanoseconds of the latest Announce
}

// Done is closed when the Announces awaited (Expect) are in.
func (f *Followers) Done() <-chan struct{} { return f.done }

// Announces is how many Announces the followers received in all.
func (f *Followers) Announces() int64 { return f.announce.Load() }

// Last is when the latest Announce arrived.
func (f *Followers) Last() time.Time { return time.Unix(0, f.last.Load()) }

// NewFollowers starts count followers' servers on hosts loopback
// addresses.
func NewFollowers(count, hosts int) (*Followers, error) {
	privPEM, pubPEM, err := httpsig.GenerateKeyPEM()
	if err != nil {
		return nil, err
	}
	key, err := httpsig.ParsePrivateKeyPEM(privPEM)
	if err != nil {
		return nil, err
	}
	f := &Followers{key: key, pubPEM: pubPEM, got: make([]map[string]int, count), done: make(chan struct{})}
	for i := range f.got {
		f.got[i] = map[string]int{}
	}
	f.want.Store(-1)
	for i := 1; i <= hosts; i++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", i))
		if err != nil {
			f.Close()
			return nil, err
		}
		srv := &http.Server{Handler: http.HandlerFunc(f.serve), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(l) }()
		f.srvs = append(f.srvs, srv)
		f.bases = append(f.bases, "http://"+l.Addr().String())
	}
	return f, nil
}

// Close stops the followers' servers.
func (f *Followers) Close() {
	for _, s := range f.srvs {
		_ = s.Close()
	}
}

// ActorIRI is the IRI of follower i.
func (f *Followers) ActorIRI(i int) string {
	return fmt.Sprintf("%s/users/f%d", f.bases[i%len(f.bases)], i)
}

// serve answers a follower's actor document and its inbox.
func (f *Followers) serve(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutPrefix(r.URL.Path, "/users/f")
	num, rest, _ := strings.Cut(name, "/")
	i, err := strconv.Atoi(num)
	if !ok || err != nil || i < 0 || i >= len(f.got) || "http://"+r.Host != f.bases[i%len(f.bases)] {
		http.NotFound(w, r)
		return
	}
	iri := f.ActorIRI(i)
	switch {
	case rest == "" && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "application/activity+json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"@context": []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
			"id":       iri, "type": "Person", "preferredUsername": fmt.Sprintf("f%d", i), "name": fmt.Sprintf("Follower %d", i),
			"inbox": iri + "/inbox", "outbox": iri + "/outbox", "followers": iri + "/followers",
			"publicKey": map[string]string{"id": iri + "#main-key", "owner": iri, "publicKeyPem": f.pubPEM},
		})
	case rest == "inbox" && r.Method == http.MethodPost:
		f.receive(w, r, i)
	default:
		http.NotFound(w, r)
	}
}

// receive records what follower i was sent and answers 202.
func (f *Followers) receive(w http.ResponseWriter, r *http.Request, i int) {
	var act struct {
		Type   string          `json:"type"`
		Actor  string          `json:"actor"`
		Object json.RawMessage `json:"object"`
	}
	err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&act)
	w.WriteHeader(http.StatusAccepted)
	if err != nil {
		return
	}
	var obj string
	if json.Unmarshal(act.Object, &obj) != nil {
		var o struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(act.Object, &o)
		obj = o.ID
	}
	f.mu.Lock()
	f.got[i][act.Type+" "+act.Actor+" "+obj]++
	if r.Header.Get("Signature") == "" {
		f.unsigned++
	}
	f.mu.Unlock()
	switch act.Type {
	case "Accept":
		f.accepts.Add(1)
	case "Announce":
		f.last.Store(time.Now().UnixNano())
		if n := f.announce.Add(1); n == f.want.Load() {
			f.doneOnce.Do(func() { close(f.done) })
		}
	}
}

// Expect sets how many Announces in all the followers await.
func (f *Followers) Expect(n int64) {
	f.want.Store(n)
	if f.announce.Load() >= n {
		f.doneOnce.Do(func() { close(f.done) })
	}
}

// follow sends follower i's signed Follow of target to inbox, with
// client; suffix makes the Follow's id.
func (f *Followers) follow(ctx context.Context, client *http.Client, i int, target, inbox, suffix string) error {
	iri := f.ActorIRI(i)
	body, _ := json.Marshal(map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       iri + "/follows/" + suffix, "type": "Follow", "actor": iri, "object": target,
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if err := httpsig.Sign(req, httpsig.Key{KeyID: iri + "#main-key", Key: f.key}, body, time.Now()); err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("follow of %s by %s: %d %s", target, iri, resp.StatusCode, data)
	}
	return nil
}

// FollowAll sends every follower's signed Follow of hub, and the first
// topicFollowers' of topic, with 8 at a time, and waits at most five
// minutes for the Accepts.
func (f *Followers) FollowAll(ctx context.Context, hub, topic Actor, topicFollowers int) error {
	tr := &http.Transport{MaxIdleConnsPerHost: 8, MaxConnsPerHost: 8}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	err := Parallel(ctx, 8, len(f.got), func(i int) error {
		if err := f.follow(ctx, client, i, hub.ID, hub.Inbox, "hub"); err != nil || i >= topicFollowers {
			return err
		}
		return f.follow(ctx, client, i, topic.ID, topic.Inbox, "topic")
	})
	if err != nil {
		return err
	}
	want := int64(len(f.got) + min(topicFollowers, len(f.got)))
	for deadline := time.Now().Add(5 * time.Minute); f.accepts.Load() < want; {
		if time.Now().After(deadline) {
			return fmt.Errorf("%d of %d follows accepted in 5 minutes", f.accepts.Load(), want)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	return nil
}

// Check compares what each follower received with what it should have:
// the Accept of its Follow of hub, of topic for the first topicFollowers,
// and one Announce of each of objects from hub (none from topic: an inbox
// the hub's Announce reaches gets no topic's). It returns how many
// followers differ (or sent without a signature), with the first few
// differences.
func (f *Followers) Check(hub, topic Actor, topicFollowers int, objects []string) (int, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	bad := 0
	var notes []string
	for i, got := range f.got {
		w := map[string]int{"Accept " + hub.ID + " " + f.ActorIRI(i) + "/follows/hub": 1}
		if i < topicFollowers {
			w["Accept "+topic.ID+" "+f.ActorIRI(i)+"/follows/topic"] = 1
		}
		for _, obj := range objects {
			w["Announce "+hub.ID+" "+obj] = 1
		}
		if maps.Equal(got, w) {
			continue
		}
		bad++
		if len(notes) < 5 {
			notes = append(notes, fmt.Sprintf("follower %d received %v, want %v", i, got, w))
		}
	}
	if f.unsigned > 0 {
		notes = append(notes, fmt.Sprintf("%d POSTs without a Signature", f.unsigned))
		bad++
	}
	return bad, notes
}
