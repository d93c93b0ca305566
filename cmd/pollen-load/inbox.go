package main

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/models"
)

// fakePeer serves remote actors on 127.0.0.1, all with one RSA-2048 key,
// for the node to fetch when it verifies their signatures.
type fakePeer struct {
	base   string
	key    *rsa.PrivateKey
	pubPEM string
	srv    *http.Server
}

func newFakePeer() (*fakePeer, error) {
	privPEM, pubPEM, err := httpsig.GenerateKeyPEM()
	if err != nil {
		return nil, err
	}
	key, err := httpsig.ParsePrivateKeyPEM(privPEM)
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &fakePeer{base: "http://" + l.Addr().String(), key: key, pubPEM: pubPEM}
	p.srv = &http.Server{Handler: http.HandlerFunc(p.serveActor), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.srv.Serve(l) }()
	return p, nil
}

func (p *fakePeer) close() { _ = p.srv.Close() }

func (p *fakePeer) actorIRI(i int) string { return fmt.Sprintf("%s/users/sender%d", p.base, i) }

// serveActor answers GET /users/senderN with a Person document.
func (p *fakePeer) serveActor(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutPrefix(r.URL.Path, "/users/")
	if !ok || !strings.HasPrefix(name, "sender") || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	iri := p.base + "/users/" + name
	doc := map[string]any{
		"@context": []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       iri, "type": "Person", "preferredUsername": name, "name": "Load " + name,
		"inbox": iri + "/inbox", "outbox": iri + "/outbox", "followers": iri + "/followers",
		"publicKey": map[string]string{"id": iri + "#main-key", "owner": iri, "publicKeyPem": p.pubPEM},
	}
	w.Header().Set("Content-Type", "application/activity+json")
	_ = json.NewEncoder(w).Encode(doc)
}

// signedPost is a POST signed in advance: the senders only send.
type signedPost struct {
	header http.Header
	body   []byte
}

// create builds and signs the n-th Create of an Article by sender i,
// addressed to inbox.
func (p *fakePeer) create(inbox string, i, n int, now time.Time) (signedPost, error) {
	actor := p.actorIRI(i)
	obj := fmt.Sprintf("%s/articles/%d-%d", actor, n, now.UnixNano())
	act := map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       obj + "/activity", "type": "Create", "actor": actor,
		"to": []string{"https://www.w3.org/ns/activitystreams#Public"},
		"object": map[string]any{
			"id": obj, "type": "Article", "attributedTo": actor, "name": fmt.Sprintf("Case study %d", n),
			"summary": "A short abstract of a service kept going.",
			"content": "<p>How the service was spun out, what it cost and what was learned.</p>",
			"to":      []string{"https://www.w3.org/ns/activitystreams#Public"},
		},
	}
	body, _ := json.Marshal(act)
	req, err := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return signedPost{}, err
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if err := httpsig.Sign(req, httpsig.Key{KeyID: actor + "#main-key", Key: p.key}, body, now); err != nil {
		return signedPost{}, err
	}
	return signedPost{header: req.Header, body: body}, nil
}

// presign signs count Creates, spread over senders, on every core.
func (p *fakePeer) presign(inbox string, senders, count int) ([][]signedPost, error) {
	out := make([][]signedPost, senders)
	now := time.Now()
	var (
		wg   sync.WaitGroup
		errs = make(chan error, senders)
	)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for s := 0; s < senders; s++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			for n := s; n < count; n += senders {
				sp, err := p.create(inbox, s, n, now)
				if err != nil {
					errs <- err
					return
				}
				out[s] = append(out[s], sp)
			}
		}()
	}
	wg.Wait()
	close(errs)
	return out, <-errs
}

// measureInbox sends signed Creates to the shared inbox from o.senders
// fake actors at once and counts the 202s, then counts the rows stored.
func measureInbox(ctx context.Context, o options, n *node, out io.Writer) error {
	p, err := newFakePeer()
	if err != nil {
		return err
	}
	defer p.close()
	inbox := n.url + "/inbox"
	var store *models.Store
	var before int64
	if n.dsn != "" {
		if store, err = models.Open(ctx, n.dsn); err != nil {
			return err
		}
		defer store.Close()
		if before, err = countActivities(ctx, store); err != nil {
			return err
		}
		// The node stores only what it has a reason to hear: it follows
		// the senders, as it follows the peers whose case studies it reads.
		if err := p.followSenders(ctx, store, o.senders); err != nil {
			return err
		}
	}
	tr := &http.Transport{MaxIdleConnsPerHost: o.senders, MaxConnsPerHost: o.senders}
	defer tr.CloseIdleConnections()
	s := &inboxSender{ctx: ctx, inbox: inbox, client: &http.Client{Transport: tr, Timeout: 30 * time.Second}}

	// Counted before the warm-up, whose Creates are accepted too.
	shown, err := countShown(ctx, n, store)
	if err != nil {
		return err
	}

	// Warm up: one Create per sender, so that the node has fetched and
	// cached every sender's key before the clock starts.
	warm, err := p.presign(inbox, o.senders, o.senders)
	if err != nil {
		return err
	}
	s.warmUp(warm)
	warmAccepted, warmRefused := s.accepted.Load(), s.refused.Load()

	signStart := time.Now()
	posts, err := p.presign(inbox, o.senders, o.inboxCount)
	if err != nil {
		return err
	}
	signed := time.Since(signStart)
	run := startRun(n.pid)
	all, elapsed := s.sendAll(posts)
	timed := s.accepted.Load() - warmAccepted
	fmt.Fprintf(out, "inbox:              %.0f signed Creates/s accepted (202) with %d senders: %d in %s; p50 %s, p99 %s; %d refused\n",
		float64(timed)/elapsed.Seconds(), o.senders, timed, elapsed.Round(time.Millisecond),
		all[len(all)/2].Round(time.Microsecond), all[len(all)*99/100].Round(time.Microsecond), s.refused.Load()-warmRefused)
	fmt.Fprintf(out, "                    (the %d requests were signed beforehand, in %s: %.0f signs/s)\n",
		o.inboxCount, signed.Round(time.Millisecond), float64(o.inboxCount)/signed.Seconds())
	if r := s.firstRefusal.Load(); r != nil {
		fmt.Fprintf(out, "                    first refusal: %s\n", r)
	}
	if store == nil {
		fmt.Fprintln(out, "                    rows not counted: pass --database with the node's database")
		return nil
	}
	// A 202 comes only after its row is committed: the last row is
	// stored by the time the last answer arrives.
	fmt.Fprintf(out, "inbox raw stored:   %.0f activities/s stored in `activities` (%d rows by the last 202, %s from the first send)\n",
		float64(timed)/elapsed.Seconds(), timed, elapsed.Round(time.Millisecond))
	if err := checkStored(ctx, store, out, before, int64(o.inboxCount+o.senders), s.accepted.Load()); err != nil {
		return err
	}
	if n.token == "" {
		fmt.Fprintln(out, "                    visible rate not measured: needs a node this command started")
		return nil
	}
	return checkVisible(ctx, n, store, out, run, shown, warmAccepted, s.accepted.Load(), p.base+"/users/sender")
}

// visibleBefore is what the feed's total and the database's count of
// listed case studies were before the run.
type visibleBefore struct{ feed, listed int64 }

// countShown counts the case studies in the feed and in the database,
// when the node was started by this command and its database is open.
func countShown(ctx context.Context, n *node, store *models.Store) (visibleBefore, error) {
	var v visibleBefore
	if n.token == "" || store == nil {
		return v, nil
	}
	var err error
	if v.feed, err = n.feedTotal(ctx); err != nil {
		return v, err
	}
	v.listed, err = listed(ctx, store)
	return v, err
}

// listed counts the case studies the feed lists, in the database.
func listed(ctx context.Context, store *models.Store) (int64, error) {
	_, total, err := store.CaseStudies.List(ctx, models.CaseStudyQuery{Limit: 1})
	return total, err
}

// timedRun is where a timed run started: the wall clock, the node's CPU time
// and the machine's.
type timedRun struct {
	pid         int
	start       time.Time
	cpu         time.Duration
	busy, total int64
}

func startRun(pid int) timedRun {
	r := timedRun{pid: pid, start: time.Now()}
	r.cpu, _ = cpuTime(pid)
	r.busy, r.total = machineBusy()
	return r
}

// checkVisible waits until every accepted Create is a case study that
// the feed shows, prints the rate from the first send to the last one
// visible with the node's CPU time for the run, then checks the count in
// GET /api/v1/feed and in the organisation's home timeline. It returns an
// error if an accepted one never shows. The wait polls the database, not
// the feed, whose facet counts would cost the node more CPU than the
// processing measured: a case study committed is in the feed at once (its
// page cache is invalidated by the commit).
func checkVisible(ctx context.Context, n *node, store *models.Store, out io.Writer, r timedRun, before visibleBefore, warm, accepted int64, prefix string) error {
	count := func(ctx context.Context) (int64, error) { return listed(ctx, store) }
	got, at, err := waitVisible(ctx, count, before.listed+accepted, 30*time.Second)
	if err != nil {
		return err
	}
	// Then the feed itself, polled only now that its count is due.
	seen, feedAt, err := waitVisible(ctx, n.feedTotal, before.feed+accepted, 5*time.Second)
	if err != nil {
		return err
	}
	cpu, _ := cpuTime(r.pid)
	busy, total := machineBusy()
	if feedAt.After(at) {
		at = feedAt
	}
	seen = min(seen-before.feed, got-before.listed)
	cpu -= r.cpu
	timed := seen - warm
	took := at.Sub(r.start)
	fmt.Fprintf(out, "inbox visible:      %.0f case studies/s visible in /api/v1/feed, end to end: %d in %s from the first send to the last visible\n",
		float64(timed)/took.Seconds(), timed, took.Round(time.Millisecond))
	perAct := time.Duration(0)
	if timed > 0 {
		perAct = cpu / time.Duration(timed)
	}
	machine := 0.0
	if total > r.total {
		machine = 100 * float64(busy-r.busy) / float64(total-r.total)
	}
	fmt.Fprintf(out, "node CPU:           %s for the run, %.2f ms an activity end to end; the machine's cores %.0f%% busy meanwhile\n",
		cpu.Round(10*time.Millisecond), float64(perAct.Microseconds())/1000, machine)
	lost := accepted - seen
	home, err := n.homeCount(ctx, prefix)
	if err != nil {
		return fmt.Errorf("home timeline: %w", err)
	}
	fmt.Fprintf(out, "inbox home:         %d of the %d in the home timeline of the organisation, which follows the senders (committed with the feed's row)\n", home, accepted)
	if lost != 0 || home != accepted {
		return fmt.Errorf("%d accepted activities not visible in the feed (%d in the home timeline)", lost, home)
	}
	return nil
}

// inboxSender posts presigned activities to one inbox and counts the
// answers: 202 is accepted, anything else (or no answer) refused.
type inboxSender struct {
	ctx          context.Context
	inbox        string
	client       *http.Client
	accepted     atomic.Int64
	refused      atomic.Int64
	firstRefusal atomic.Value // the first refusal, as a string
}

// send posts sp and counts the answer.
func (s *inboxSender) send(sp signedPost) {
	req, _ := http.NewRequestWithContext(s.ctx, http.MethodPost, s.inbox, bytes.NewReader(sp.body))
	req.Header = sp.header.Clone()
	resp, err := s.client.Do(req)
	if err != nil {
		s.refused.Add(1)
		s.firstRefusal.CompareAndSwap(nil, err.Error())
		return
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusAccepted {
		s.accepted.Add(1)
		return
	}
	s.refused.Add(1)
	s.firstRefusal.CompareAndSwap(nil, fmt.Sprintf("%d %s", resp.StatusCode, data))
}

// warmUp sends the first post of every sender, all at once, and waits
// for the answers.
func (s *inboxSender) warmUp(warm [][]signedPost) {
	var wg sync.WaitGroup
	for _, ps := range warm {
		wg.Add(1)
		go func() { defer wg.Done(); s.send(ps[0]) }()
	}
	wg.Wait()
}

// sendAll sends every sender's posts, one sender per goroutine, each its
// posts one after another. It returns every request's latency, sorted,
// and the time the whole took.
func (s *inboxSender) sendAll(posts [][]signedPost) ([]time.Duration, time.Duration) {
	var wg sync.WaitGroup
	lat := make([][]time.Duration, len(posts))
	start := time.Now()
	for i := range posts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, sp := range posts[i] {
				t0 := time.Now()
				s.send(sp)
				lat[i] = append(lat[i], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	return all, elapsed
}

// checkStored counts the activities stored since before, prints them
// against the total sent and the accepted, and returns an error if an
// accepted activity is not stored.
func checkStored(ctx context.Context, store *models.Store, out io.Writer, before, total, accepted int64) error {
	after, err := countActivities(ctx, store)
	if err != nil {
		return err
	}
	stored := after - before
	lost := accepted - stored
	fmt.Fprintf(out, "inbox rows:         %d sent, %d accepted, %d stored, %d lost\n", total, accepted, stored, lost)
	if lost != 0 {
		return fmt.Errorf("%d activities answered 202 are not stored", lost)
	}
	return nil
}

// followSenders writes the senders' actors (as the fake peer serves them)
// and the node's accepted follows of them straight into the node's
// database: the rows a Follow and its Accept leave.
func (p *fakePeer) followSenders(ctx context.Context, store *models.Store, senders int) error {
	locals, err := store.Actors.ListLocal(ctx)
	if err != nil || len(locals) == 0 {
		return fmt.Errorf("the node's actor: %v", err)
	}
	now := time.Now().UTC()
	for i := 0; i < senders; i++ {
		iri := p.actorIRI(i)
		a := models.Actor{
			IRI: iri, Type: "Person", Handle: fmt.Sprintf("sender%d", i), Host: strings.TrimPrefix(p.base, "http://"),
			Inbox: iri + "/inbox", Outbox: iri + "/outbox", Followers: iri + "/followers",
			KeyID: iri + "#main-key", PublicKeyPEM: p.pubPEM, Published: now, FetchedAt: &now,
		}
		if err := store.Actors.UpsertRemote(ctx, &a); err != nil {
			return err
		}
		f := models.Follow{ActivityID: iri + "/follows/load", ActorID: locals[0].ID, TargetID: a.ID, Outbound: true, State: models.FollowAccepted}
		if err := store.Follows.Save(ctx, &f); err != nil {
			return err
		}
	}
	return nil
}

func countActivities(ctx context.Context, s *models.Store) (int64, error) {
	counts, err := s.Activities.Counts(ctx)
	var n int64
	for _, c := range counts {
		n += c
	}
	return n, err
}
