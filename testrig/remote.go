package testrig

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation/httpsig"
)

// Remote is a fediverse server in a test: an httptest server serving one
// actor (a Person, Mastodon-shaped, with publicKey, inbox, shared inbox and
// followers) whose RSA key signs what it sends, and whose inboxes record
// what they receive.
type Remote struct {
	// URL is the server's base URL, http://127.0.0.1:PORT.
	URL string
	// ActorIRI is the actor's id, URL/users/alice; KeyID its key's.
	ActorIRI, KeyID string
	// Inbox and SharedInbox are where the actor receives.
	Inbox, SharedInbox string
	// Key signs what the actor sends.
	Key *rsa.PrivateKey
	// OnInbox, when set, answers POSTs to the inboxes instead of a plain
	// 202; it runs after the request is recorded in Received and must be
	// set before anything is delivered.
	OnInbox func(w http.ResponseWriter, r *http.Request, got Received)

	server  *httptest.Server
	mu      sync.Mutex
	docs    map[string][]byte
	answers map[string]answer
	got     []Received
	// host is the Remote that serves this actor: itself, or the first
	// actor of the server for one made by AddActor.
	host *Remote
}

// answer is what a path answers instead of a document: a status, with a
// Location for a redirect.
type answer struct {
	status   int
	location string
}

// Received is one POST to a Remote's inboxes.
type Received struct {
	Path   string
	Header http.Header
	Host   string
	Body   []byte
	// ID and Type are the activity's, read from Body.
	ID, Type string
	// Object is the activity's object when it is embedded.
	Object map[string]any
}

var (
	remoteKeyOnce sync.Once
	remoteKey     *rsa.PrivateKey
)

// sharedRemoteKey is one RSA key for every Remote of the test binary:
// making a key per actor would cost more than the tests they serve.
func sharedRemoteKey(t testing.TB) *rsa.PrivateKey {
	remoteKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatalf("generate key: %v", err)
		}
		remoteKey = k
	})
	return remoteKey
}

// StartRemote starts a Remote, stopped when the test ends.
func StartRemote(t testing.TB) *Remote {
	t.Helper()
	rm := &Remote{Key: sharedRemoteKey(t), docs: map[string][]byte{}, answers: map[string]answer{}}
	rm.host = rm
	rm.server = httptest.NewServer(http.HandlerFunc(rm.serve))
	t.Cleanup(rm.server.Close)
	rm.URL = rm.server.URL
	rm.serveActor(t, "alice", "Alice")
	return rm
}

// AddActor adds another person, name, to the Remote's server: an actor on
// the same host as the Remote's own, with its own actor document and key
// id, whose inbox records into the same Received list.
func (rm *Remote) AddActor(t testing.TB, name, displayName string) *Remote {
	t.Helper()
	a := &Remote{Key: rm.Key, URL: rm.URL, host: rm.host}
	a.serveActor(t, name, displayName)
	return a
}

// serveActor fills in the actor's IRIs and publishes its document.
func (rm *Remote) serveActor(t testing.TB, name, displayName string) {
	rm.ActorIRI = rm.URL + "/users/" + name
	rm.KeyID = rm.ActorIRI + "#main-key"
	rm.Inbox = rm.ActorIRI + "/inbox"
	rm.SharedInbox = rm.URL + "/inbox"
	pub, err := x509.MarshalPKIXPublicKey(&rm.Key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	rm.Serve(rm.ActorIRI, map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       rm.ActorIRI, "type": "Person", "preferredUsername": name, "name": displayName,
		"inbox": rm.Inbox, "outbox": rm.ActorIRI + "/outbox",
		"followers": rm.ActorIRI + "/followers", "following": rm.ActorIRI + "/following",
		"url":       rm.URL + "/@" + name,
		"endpoints": map[string]any{"sharedInbox": rm.SharedInbox},
		"publicKey": map[string]any{
			"id": rm.KeyID, "owner": rm.ActorIRI,
			"publicKeyPem": string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})),
		},
	})
}

// Document returns the JSON document the Remote serves at iri, decoded,
// or nil: change it and Serve it again to publish another version.
func (rm *Remote) Document(iri string) map[string]any {
	h := rm.host
	h.mu.Lock()
	data := h.docs[strings.TrimPrefix(iri, rm.URL)]
	h.mu.Unlock()
	var doc map[string]any
	_ = json.Unmarshal(data, &doc)
	return doc
}

// Serve publishes doc (JSON, or anything encoded as JSON) at iri, a URL on
// the Remote, as application/activity+json; a nil doc removes it (404).
func (rm *Remote) Serve(iri string, doc any) {
	h := rm.host
	h.mu.Lock()
	defer h.mu.Unlock()
	path := strings.TrimPrefix(iri, rm.URL)
	if doc == nil {
		delete(h.docs, path)
		return
	}
	data, ok := doc.([]byte)
	if !ok {
		data, _ = json.Marshal(doc)
	}
	h.docs[path] = data
}

// Redirect makes GETs of iri, a URL on the Remote, answer 302 Found with
// location (on this Remote or anywhere else), as an open redirect or a
// moved document does; an empty location takes the redirect away.
func (rm *Remote) Redirect(iri, location string) {
	rm.setAnswer(iri, answer{status: http.StatusFound, location: location}, location == "")
}

// Gone makes GETs of iri, a URL on the Remote, answer 410 Gone, as the
// actor and key of a deleted Mastodon account do.
func (rm *Remote) Gone(iri string) {
	rm.setAnswer(iri, answer{status: http.StatusGone}, false)
}

func (rm *Remote) setAnswer(iri string, a answer, remove bool) {
	h := rm.host
	h.mu.Lock()
	defer h.mu.Unlock()
	path := strings.TrimPrefix(iri, rm.URL)
	if remove {
		delete(h.answers, path)
		return
	}
	h.answers[path] = a
}

func (rm *Remote) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && (r.URL.Path == "/inbox" || (strings.HasPrefix(r.URL.Path, "/users/") && strings.HasSuffix(r.URL.Path, "/inbox"))) {
		rm.receive(w, r)
		return
	}
	rm.mu.Lock()
	doc, ok := rm.docs[r.URL.Path]
	a, special := rm.answers[r.URL.Path]
	rm.mu.Unlock()
	if special && r.Method == http.MethodGet {
		if a.location != "" {
			w.Header().Set("Location", a.location)
		}
		w.WriteHeader(a.status)
		return
	}
	if r.Method != http.MethodGet || !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/activity+json")
	_, _ = w.Write(doc)
}

func (rm *Remote) receive(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	got := Received{Path: r.URL.Path, Header: r.Header.Clone(), Host: r.Host, Body: body}
	var act struct {
		ID     string          `json:"id"`
		Type   string          `json:"type"`
		Object json.RawMessage `json:"object"`
	}
	if json.Unmarshal(body, &act) == nil {
		got.ID, got.Type = act.ID, act.Type
		_ = json.Unmarshal(act.Object, &got.Object)
	}
	rm.mu.Lock()
	rm.got = append(rm.got, got)
	rm.mu.Unlock()
	if rm.OnInbox != nil {
		rm.OnInbox(w, r, got)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// Received returns what the inboxes have received so far, of type typ
// (every type when typ is empty).
func (rm *Remote) Received(typ string) []Received {
	h := rm.host
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []Received
	for _, g := range h.got {
		if typ == "" || g.Type == typ {
			out = append(out, g)
		}
	}
	return out
}

// Request is the request the Remote's inbox received, rebuilt so that it
// can be verified: method, path, Host, headers and body as they came.
func (g Received) Request() *http.Request {
	r := httptest.NewRequest(http.MethodPost, g.Path, bytes.NewReader(g.Body))
	r.Host = g.Host
	r.Header = g.Header.Clone()
	return r
}

// Post signs body (a []byte, a string, or anything encoded as JSON) as
// the Remote's actor and POSTs it to inbox, answering with what came back.
func (rm *Remote) Post(t testing.TB, inbox string, body any) Response {
	t.Helper()
	return rm.PostWith(t, inbox, body, time.Now(), nil)
}

// PostWith is Post with the Date's time given and a hook that may change
// the signed request before it is sent (to spoil it).
func (rm *Remote) PostWith(t testing.TB, inbox string, body any, date time.Time, spoil func(*http.Request)) Response {
	t.Helper()
	var data []byte
	switch b := body.(type) {
	case []byte:
		data = b
	case string:
		data = []byte(b)
	default:
		var err error
		if data, err = json.Marshal(b); err != nil {
			t.Fatalf("encode activity: %v", err)
		}
	}
	req, err := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if err := httpsig.Sign(req, httpsig.Key{KeyID: rm.KeyID, Key: rm.Key}, data, date); err != nil {
		t.Fatal(err)
	}
	if spoil != nil {
		spoil(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", inbox, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: answer}
}

// Follow makes the Remote's actor follow the node's organisation through
// its shared inbox, and waits until the node has sent its Accept. It
// returns the Follow's id.
func (rm *Remote) Follow(t testing.TB, n *Node) string {
	t.Helper()
	return rm.FollowAt(t, n.URL, n.URL+"/actors/"+n.Config.Handle)
}

// FollowAt is Follow for a node known only by its base URL and actor IRI
// (a node running in another process).
func (rm *Remote) FollowAt(t testing.TB, base, actor string) string {
	t.Helper()
	id := rm.ActorIRI + "/follows/" + strings.TrimPrefix(strings.ReplaceAll(actor, "/", "_"), "http:__")
	r := rm.Post(t, base+"/inbox", map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       id, "type": "Follow", "actor": rm.ActorIRI, "object": actor,
	})
	if r.Status != http.StatusAccepted {
		t.Fatalf("Follow of %s: %d %s", actor, r.Status, r.Body)
	}
	Eventually(t, "the Accept of "+rm.ActorIRI+"'s follow", func() bool {
		for _, g := range rm.Received("Accept") {
			if o, _ := g.Object["id"].(string); o == id {
				return true
			}
			if b := string(g.Body); strings.Contains(b, `"`+id+`"`) {
				return true
			}
		}
		return false
	})
	return id
}
