// Package hubsim simulates the peers of a hub for pollen-load: its member
// organisations, each an actor with its own key that accepts the hub's
// follow and sends it case studies, and its followers, each an actor with
// its own inbox that records what the hub sends it. Everything listens on
// loopback addresses.
package hubsim

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
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pollen-coop/pollen/federation/httpsig"
)

// pollenContext is the @context of a Pollen Article: ActivityStreams and
// Pollen's extension terms, as the node writes them.
var pollenContext = []any{
	"https://www.w3.org/ns/activitystreams",
	map[string]any{"pollen": "https://pollen.coop/ns#", "serviceArea": "pollen:serviceArea", "region": "pollen:region",
		"organisationType": "pollen:organisationType", "stage": "pollen:stage"},
}

// Members are the member organisations of a hub, all served by one
// HTTP server on 127.0.0.1: each an actor with its own RSA-2048 key, an
// empty outbox (the hub backfills it when its follow is accepted) and an
// inbox that answers the hub's Follow with a signed Accept.
type Members struct {
	base     string
	keys     []*rsa.PrivateKey
	pubPEMs  []string
	hubInbox string // where the Accepts go
	srv      *http.Server
	client   *http.Client
	accepts  sync.WaitGroup // Accepts being sent
	failed   atomic.Value   // the first Accept refused, as a string
}

// Count is how many members there are.
func (m *Members) Count() int { return len(m.keys) }

// Failed is the first Accept the hub refused, or "".
func (m *Members) Failed() string {
	s, _ := m.failed.Load().(string)
	return s
}

// NewMembers makes count members' keys on every core and starts their
// server; they answer Follows with Accepts to hubInbox.
func NewMembers(count int, hubInbox string) (*Members, error) {
	m := &Members{keys: make([]*rsa.PrivateKey, count), pubPEMs: make([]string, count), hubInbox: hubInbox}
	var (
		wg   sync.WaitGroup
		next atomic.Int64
		errs = make(chan error, runtime.GOMAXPROCS(0))
	)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < count; i = int(next.Add(1)) - 1 {
				privPEM, pubPEM, err := httpsig.GenerateKeyPEM()
				if err == nil {
					m.keys[i], err = httpsig.ParsePrivateKeyPEM(privPEM)
				}
				if err != nil {
					errs <- err
					return
				}
				m.pubPEMs[i] = pubPEM
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	m.base = "http://" + l.Addr().String()
	tr := &http.Transport{MaxIdleConnsPerHost: 16, MaxConnsPerHost: 16}
	m.client = &http.Client{Transport: tr, Timeout: 30 * time.Second}
	m.srv = &http.Server{Handler: http.HandlerFunc(m.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = m.srv.Serve(l) }()
	return m, nil
}

// Close stops the members' server once their Accepts are sent.
func (m *Members) Close() {
	_ = m.srv.Close()
	m.accepts.Wait()
	m.client.CloseIdleConnections()
}

// ActorIRI is the IRI of member i.
func (m *Members) ActorIRI(i int) string { return fmt.Sprintf("%s/users/m%d", m.base, i) }

// member is the index of the member whose path is /users/mN[/rest], and
// rest.
func (m *Members) member(path string) (int, string, bool) {
	name, ok := strings.CutPrefix(path, "/users/m")
	if !ok {
		return 0, "", false
	}
	num, rest, _ := strings.Cut(name, "/")
	i, err := strconv.Atoi(num)
	if err != nil || i < 0 || i >= len(m.keys) {
		return 0, "", false
	}
	return i, rest, true
}

// serve answers a member's actor, outbox and inbox.
func (m *Members) serve(w http.ResponseWriter, r *http.Request) {
	i, rest, ok := m.member(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	iri := m.ActorIRI(i)
	w.Header().Set("Content-Type", "application/activity+json")
	switch {
	case rest == "" && r.Method == http.MethodGet:
		_ = json.NewEncoder(w).Encode(map[string]any{
			"@context": []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
			"id":       iri, "type": "Organization", "preferredUsername": fmt.Sprintf("m%d", i), "name": fmt.Sprintf("Member %d", i),
			"inbox": iri + "/inbox", "outbox": iri + "/outbox", "followers": iri + "/followers",
			"publicKey": map[string]string{"id": iri + "#main-key", "owner": iri, "publicKeyPem": m.pubPEMs[i]},
		})
	case rest == "outbox" && r.Method == http.MethodGet:
		_ = json.NewEncoder(w).Encode(map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams", "id": iri + "/outbox",
			"type": "OrderedCollection", "totalItems": 0, "orderedItems": []any{},
		})
	case rest == "inbox" && r.Method == http.MethodPost:
		m.receive(w, r, i)
	default:
		http.NotFound(w, r)
	}
}

// receive answers 202 and, for the hub's Follow, sends the member's Accept.
func (m *Members) receive(w http.ResponseWriter, r *http.Request, i int) {
	var act struct {
		ID     string `json:"id"`
		Type   string `json:"type"`
		Actor  string `json:"actor"`
		Object any    `json:"object"`
	}
	err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&act)
	w.WriteHeader(http.StatusAccepted)
	if err != nil || act.Type != "Follow" {
		return
	}
	m.accepts.Add(1)
	go func() {
		defer m.accepts.Done()
		m.accept(i, act.ID, act.Actor)
	}()
}

// accept sends member i's signed Accept of the Follow follow by actor.
func (m *Members) accept(i int, follow, actor string) {
	iri := m.ActorIRI(i)
	body, _ := json.Marshal(map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       iri + "/accepts/" + strconv.FormatInt(time.Now().UnixNano(), 36), "type": "Accept", "actor": iri,
		"object": map[string]any{"id": follow, "type": "Follow", "actor": actor, "object": iri},
	})
	if err := m.Post(context.Background(), i, m.hubInbox, body); err != nil {
		m.failed.CompareAndSwap(nil, err.Error())
	}
}

// Post signs body as member i and posts it to inbox; anything but 202 is
// an error.
func (m *Members) Post(ctx context.Context, i int, inbox string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if err := httpsig.Sign(req, httpsig.Key{KeyID: m.ActorIRI(i) + "#main-key", Key: m.keys[i]}, body, time.Now()); err != nil {
		return err
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return err
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("%s: %d %s", inbox, resp.StatusCode, data)
	}
	return nil
}

// CreateBody is member i's Create of the n-th case study, an Article of
// the service area area, and the Article's IRI.
func (m *Members) CreateBody(i, n int, area string) ([]byte, string) {
	actor := m.ActorIRI(i)
	obj := fmt.Sprintf("%s/articles/%d-%d", actor, n, time.Now().UnixNano())
	public := []string{"https://www.w3.org/ns/activitystreams#Public"}
	body, _ := json.Marshal(map[string]any{
		"@context": pollenContext,
		"id":       obj + "/activity", "type": "Create", "actor": actor, "to": public, "cc": []string{actor + "/followers"},
		"object": map[string]any{
			"id": obj, "type": "Article", "attributedTo": actor, "name": fmt.Sprintf("A library kept open, %d", n),
			"summary":     "How a library service was kept open by a staff mutual.",
			"content":     "<p>The council and the staff formed a mutual; costs fell and opening hours rose.</p>",
			"serviceArea": area, "region": "North West", "organisationType": "council", "stage": "operating",
			"published": time.Now().UTC().Format(time.RFC3339), "to": public, "cc": []string{actor + "/followers"},
		},
	})
	return body, obj
}

// SendCreates signs count Creates of case studies of the service area
// area, from members in turn, and posts them to inbox one after another.
// It returns the case studies' IRIs.
func (m *Members) SendCreates(ctx context.Context, inbox string, count int, area string) ([]string, error) {
	bodies, objects := make([][]byte, count), make([]string, count)
	for k := range bodies {
		bodies[k], objects[k] = m.CreateBody(k%len(m.keys), k, area)
	}
	for k, body := range bodies {
		if err := m.Post(ctx, k%len(m.keys), inbox, body); err != nil {
			return nil, err
		}
	}
	return objects, nil
}
