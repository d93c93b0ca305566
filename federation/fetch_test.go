package federation

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/convert"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/federation/transport"
	"github.com/pollen-coop/pollen/models"
)

// remote is a fake peer serving fixed documents, with the fixtures' host
// names rewritten to its own URL.
type remote struct {
	*httptest.Server
	mu       sync.Mutex
	docs     map[string]doc
	requests []string
}

type doc struct {
	status int
	ctype  string
	body   string
}

func newRemote(t *testing.T) *remote {
	rm := &remote{docs: map[string]doc{}}
	rm.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rm.mu.Lock()
		rm.requests = append(rm.requests, r.URL.RequestURI())
		d, ok := rm.docs[r.URL.RequestURI()]
		rm.mu.Unlock()
		if r.Header.Get("Signature") == "" || !strings.HasPrefix(r.Header.Get("User-Agent"), "Pollen/") {
			t.Errorf("%s came unsigned or without Pollen's User-Agent", r.URL)
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", d.ctype)
		if d.status != 0 {
			w.WriteHeader(d.status)
		}
		_, _ = io.WriteString(w, d.body)
	}))
	t.Cleanup(rm.Close)
	return rm
}

// serve answers path with body, its fixture hosts replaced by the server's.
func (rm *remote) serve(path, ctype, body string, hosts ...string) {
	for _, h := range hosts {
		body = strings.ReplaceAll(body, h, rm.URL)
	}
	rm.mu.Lock()
	rm.docs[path] = doc{ctype: ctype, body: body}
	rm.mu.Unlock()
}

func (rm *remote) count() int {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	return len(rm.requests)
}

// testService is a Service on a fresh SQLite store, its actor made, its
// clock at *now, allowed to reach 127.0.0.1.
func testService(t *testing.T, now *time.Time, allowPrivate bool) *Service {
	t.Helper()
	ctx := context.Background()
	store, err := models.Open(ctx, filepath.Join(t.TempDir(), "pollen.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(allowPrivate)
	s := New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil)), WithClock(func() time.Time { return *now }))
	if _, err := s.EnsureLocalActor(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// actorFixture reads testdata/actors/name with key's public PEM in place.
func actorFixture(t *testing.T, name, keyFile string) string {
	data, err := os.ReadFile(filepath.Join("testdata", "actors", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(data), "TEST_PUBLIC_KEY", jsonEscape(publicPEM(t, readTestKey(t, keyFile))))
}

func TestFetchActorShapes(t *testing.T) {
	now := testNow
	s := testService(t, &now, true)
	rm := newRemote(t)
	rm.serve("/users/alice", ap.MediaTypeActivity, actorFixture(t, "mastodon-alice.json", "test-key.pem"), "https://mastodon.example")
	rm.serve("/users/bob", ap.MediaTypeLDJSON, actorFixture(t, "pleroma-bob.json", "test-key.pem"), "https://pleroma.example")
	rm.serve("/users/9v0abcdef0", "application/activity+json; charset=utf-8", actorFixture(t, "misskey-carol.json", "test-key.pem"), "https://misskey.example")
	ctx := context.Background()
	for _, tt := range []struct {
		path, handle, shared, icon, keyID string
		manual                            bool
	}{
		{"/users/alice", "alice", "/inbox", "https://files.mastodon.example/accounts/avatars/alice.png", "/users/alice#main-key", false},
		{"/users/bob", "bob", "/inbox", "/media/bob.png", "/users/bob#main-key", false},
		{"/users/9v0abcdef0", "carol", "/inbox", "/files/avatar-carol.webp", "/users/9v0abcdef0#main-key", true},
	} {
		a, err := s.fetcher.FetchActor(ctx, rm.URL+tt.path)
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		if !strings.HasPrefix(tt.icon, "https://") {
			tt.icon = rm.URL + tt.icon
		}
		host := strings.TrimPrefix(rm.URL, "http://")
		if a.Handle != tt.handle || a.Host != host || a.SharedInbox != rm.URL+tt.shared || a.IconURL != tt.icon ||
			a.KeyID != rm.URL+tt.keyID || a.Inbox != rm.URL+tt.path+"/inbox" || a.ManuallyApprovesFollowers != tt.manual ||
			a.Local || a.FetchedAt == nil || a.Raw == "" || a.ID == 0 {
			t.Errorf("%s: %+v", tt.path, a)
		}
		if strings.Contains(a.Summary, "script") {
			t.Errorf("%s: unsanitised summary %q", tt.path, a.Summary)
		}
		if tt.path == "/users/alice" && a.Name != "Alice <em>Officer</em>" {
			t.Errorf("%s: the name, plain text, is not kept as typed: %q", tt.path, a.Name)
		}
		before := rm.count()
		cached, err := s.fetcher.ActorForKey(ctx, a.KeyID, false)
		if err != nil || cached.IRI != a.IRI || rm.count() != before {
			t.Errorf("%s: the cached key was not used: %v", tt.path, err)
		}
	}
}

// TestActorForKeyGoToSocial follows GoToSocial's path-style keyId: the key
// URL answers with a stub of the actor, whose full document is fetched.
func TestActorForKeyGoToSocial(t *testing.T) {
	fx := sharedFixtures(t)
	now := testNow
	s := testService(t, &now, true)
	rm := newRemote(t)
	var actor, key struct {
		Body jsonRaw `json:"body"`
	}
	readJSON(t, filepath.Join(fx, "gotosocial", "actor-alice.json"), &actor)
	readJSON(t, filepath.Join(fx, "gotosocial", "key-alice.json"), &key)
	rm.serve("/users/alice", ap.MediaTypeActivity, string(actor.Body), "http://localhost:50445")
	rm.serve("/users/alice/main-key", ap.MediaTypeActivity, string(key.Body), "http://localhost:50445")
	a, err := s.fetcher.ActorForKey(context.Background(), rm.URL+"/users/alice/main-key", false)
	if err != nil {
		t.Fatal(err)
	}
	if a.IRI != rm.URL+"/users/alice" || a.KeyID != rm.URL+"/users/alice/main-key" || a.Inbox != rm.URL+"/users/alice/inbox" || a.SharedInbox != "" {
		t.Errorf("actor = %+v", a)
	}
	if got := strings.Join(rm.requests, " "); got != "/users/alice/main-key /users/alice" {
		t.Errorf("requests = %s", got)
	}

	// A key document alone, naming its owner.
	rm.serve("/keys/1", ap.MediaTypeActivity, `{"id":"`+rm.URL+`/keys/1","owner":"`+rm.URL+`/users/k","publicKeyPem":"x"}`)
	rm.serve("/users/k", ap.MediaTypeActivity, strings.NewReplacer(
		"http://localhost:50445/users/alice/main-key", rm.URL+"/keys/1",
		"http://localhost:50445/users/alice", rm.URL+"/users/k").Replace(string(actor.Body)))
	a, err = s.fetcher.ActorForKey(context.Background(), rm.URL+"/keys/1", false)
	if err != nil || a.IRI != rm.URL+"/users/k" || a.KeyID != rm.URL+"/keys/1" {
		t.Errorf("key document: %+v, %v", a, err)
	}
}

type jsonRaw []byte

func (j *jsonRaw) UnmarshalJSON(b []byte) error { *j = append((*j)[:0], b...); return nil }

func TestFetchActorRefusals(t *testing.T) {
	now := testNow
	s := testService(t, &now, true)
	rm := newRemote(t)
	good := actorFixture(t, "mastodon-alice.json", "test-key.pem")
	mastodon := "https://mastodon.example"
	rm.serve("/users/alice", ap.MediaTypeActivity, good, mastodon)
	rm.serve("/wrong-id", ap.MediaTypeActivity, good, mastodon)
	rm.serve("/html", "text/html", strings.ReplaceAll(good, mastodon+"/users/alice", mastodon+"/html"), mastodon)
	rm.serve("/json", "application/json", strings.ReplaceAll(good, mastodon+"/users/alice", mastodon+"/json"), mastodon)
	rm.serve("/ld-other", `application/ld+json; profile="https://example.com/other"`, strings.ReplaceAll(good, mastodon+"/users/alice", mastodon+"/ld-other"), mastodon)
	rm.serve("/big", ap.MediaTypeActivity, `{"id":"x","pad":"`+strings.Repeat("a", transport.MaxDocumentSize)+`"}`)
	rm.serve("/note", ap.MediaTypeActivity, `{"id":"`+rm.URL+`/note","type":"Note","inbox":"`+rm.URL+`/i"}`)
	rm.serve("/noinbox", ap.MediaTypeActivity, strings.ReplaceAll(strings.ReplaceAll(good, mastodon+"/users/alice\"", mastodon+"/noinbox\""), `"inbox"`, `"x"`), mastodon)
	rm.serve("/keyhost", ap.MediaTypeActivity, strings.ReplaceAll(strings.ReplaceAll(good, mastodon+"/users/alice\"", rm.URL+"/keyhost\""), mastodon+"/users/alice#main-key", "https://evil.example/k#main-key"), mastodon)
	rm.serve("/owner", ap.MediaTypeActivity, strings.ReplaceAll(good, mastodon+"/users/alice\",\n  \"type\"", rm.URL+"/owner\",\n  \"type\""), mastodon)
	rm.serve("/notjson", ap.MediaTypeActivity, "<html>")
	rm.docs["/gone"] = doc{status: http.StatusGone, ctype: ap.MediaTypeActivity, body: "{}"}
	ctx := context.Background()
	for _, tt := range []struct {
		path   string
		status int
		reason string
		is     error
	}{
		{"/wrong-id", 502, "must be the URL fetched", nil},
		{"/html", 502, "not ActivityStreams", nil},
		{"/json", 502, "not ActivityStreams", nil},
		{"/ld-other", 502, "not ActivityStreams", nil},
		{"/big", 502, "more than 1 MB", transport.ErrTooLarge},
		{"/note", 502, "not an actor type", nil},
		{"/noinbox", 502, "has no inbox", nil},
		{"/keyhost", 502, "on another host", nil},
		{"/owner", 502, "belongs to", nil},
		{"/notjson", 502, "not a JSON object", nil},
		{"/missing", 502, "404", models.ErrNotFound},
		{"/gone", 502, "410", models.ErrGone},
	} {
		t.Run(tt.path, func(t *testing.T) {
			_, err := s.fetcher.FetchActor(ctx, rm.URL+tt.path)
			wantStatus(t, err, tt.status, tt.reason)
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want %v", err, tt.is)
			}
		})
	}
	if _, err := s.store.Actors.ByIRI(ctx, rm.URL+"/wrong-id"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a refused actor was cached: %v", err)
	}

	strict := testService(t, &now, false)
	_, err := strict.fetcher.FetchActor(ctx, rm.URL+"/users/alice")
	wantStatus(t, err, http.StatusBadRequest, "private network")
	if !errors.Is(err, transport.ErrPrivateAddress) {
		t.Errorf("err = %v, want ErrPrivateAddress", err)
	}
	_, err = strict.fetcher.ActorForKey(ctx, "urn:x", false)
	wantStatus(t, fetchError(err), http.StatusBadRequest, "not an http or https URL")
}

func TestResolveHandle(t *testing.T) {
	now := testNow
	s := testService(t, &now, true)
	rm := newRemote(t)
	host := strings.TrimPrefix(rm.URL, "http://")
	rm.serve("/users/alice", ap.MediaTypeActivity, actorFixture(t, "mastodon-alice.json", "test-key.pem"), "https://mastodon.example")
	rm.serve("/.well-known/webfinger?resource="+url.QueryEscape("acct:alice@"+host), "application/jrd+json",
		`{"subject":"acct:alice@`+host+`","links":[{"rel":"http://webfinger.net/rel/profile-page","type":"text/html","href":"x"},`+
			`{"rel":"self","type":"application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"","href":"`+rm.URL+`/users/alice"}]}`)
	ctx := context.Background()
	for _, h := range []string{"@alice@" + host, "alice@" + host, "acct:alice@" + host} {
		a, err := s.fetcher.ResolveHandle(ctx, h)
		if err != nil || a.IRI != rm.URL+"/users/alice" {
			t.Errorf("%s: %+v, %v", h, a, err)
		}
	}
	a, err := s.fetcher.ResolveActor(ctx, rm.URL+"/users/alice")
	if err != nil || a.Handle != "alice" {
		t.Errorf("ResolveActor(URL): %v", err)
	}
	_, err = s.fetcher.ResolveHandle(ctx, "@nobody@"+host)
	wantStatus(t, fetchError(err), http.StatusNotFound, "no account")
	for _, bad := range []string{"alice", "@alice", "@@host", "alice@host/path", "a b@host", "alice@user:pw@host"} {
		_, err := s.fetcher.ResolveHandle(ctx, bad)
		wantStatus(t, fetchError(err), http.StatusBadRequest, "not a handle")
	}
}

// TestServiceVerifyRequest verifies through the Service: the key is fetched
// from the peer, cached, and fetched again when the peer rotates it.
func TestServiceVerifyRequest(t *testing.T) {
	now := testNow
	s := testService(t, &now, true)
	rm := newRemote(t)
	rm.serve("/users/alice", ap.MediaTypeActivity, actorFixture(t, "mastodon-alice.json", "test-key.pem"), "https://mastodon.example")
	keyID := rm.URL + "/users/alice#main-key"
	sign := func(keyFile string) (*http.Request, []byte) {
		body := []byte(strings.ReplaceAll(testBody, "https://peer.example/actors/org", rm.URL+"/users/alice"))
		r := httptest.NewRequest(http.MethodPost, "https://pollen.example/inbox", strings.NewReader(string(body)))
		if err := httpsig.Sign(r, httpsig.Key{KeyID: keyID, Key: readTestKey(t, keyFile)}, body, now); err != nil {
			t.Fatal(err)
		}
		return r, body
	}
	ctx := context.Background()
	r, body := sign("test-key.pem")
	signer, err := s.VerifyRequest(ctx, r, body)
	if err != nil || signer.IRI != rm.URL+"/users/alice" {
		t.Fatalf("verify: %+v, %v", signer, err)
	}
	r, body = sign("test-key.pem")
	if _, err := s.VerifyRequest(ctx, r, body); err != nil || rm.count() != 1 {
		t.Errorf("second request: %v after %d fetches, want the cached key", err, rm.count())
	}

	// The peer rotates its key: the first request signed with the new one
	// fetches it again.
	rm.serve("/users/alice", ap.MediaTypeActivity, actorFixture(t, "mastodon-alice.json", "test-key-2.pem"), "https://mastodon.example")
	r, body = sign("test-key-2.pem")
	if _, err := s.VerifyRequest(ctx, r, body); err != nil || rm.count() != 2 {
		t.Errorf("rotated key: %v after %d fetches", err, rm.count())
	}
	// The old key is refused, and within a minute of that re-fetch failures
	// fetch nothing more.
	for range 3 {
		r, body = sign("test-key.pem")
		_, err = s.VerifyRequest(ctx, r, body)
		wantStatus(t, err, http.StatusUnauthorized, "does not verify")
	}
	if rm.count() != 2 {
		t.Errorf("%d fetches after failures within a minute, want 2", rm.count())
	}
	now = now.Add(2 * time.Minute)
	r, body = sign("test-key.pem")
	_, err = s.VerifyRequest(ctx, r, body)
	wantStatus(t, err, http.StatusUnauthorized, "does not verify")
	if rm.count() != 3 {
		t.Errorf("%d fetches after a failure a minute later, want 3", rm.count())
	}
}

// A hostile actor's long texts are clipped and its non-http links dropped.
func TestFetchActorClipsAndDropsLinks(t *testing.T) {
	now := testNow
	s := testService(t, &now, true)
	rm := newRemote(t)
	body := actorFixture(t, "mastodon-alice.json", "test-key.pem")
	long := strings.Repeat("x", 5000)
	for _, r := range [][2]string{
		{`"preferredUsername": "alice"`, `"preferredUsername": "` + long + `"`},
		{`"name": "Alice <em>Officer</em>"`, `"name": "` + long + `"`},
		{`"outbox": "https://mastodon.example/users/alice/outbox"`, `"outbox": "javascript:alert(1)"`},
	} {
		if !strings.Contains(body, r[0]) {
			t.Fatalf("the fixture lacks %s", r[0])
		}
		body = strings.Replace(body, r[0], r[1], 1)
	}
	rm.serve("/users/alice", ap.MediaTypeActivity, body, "https://mastodon.example")
	a, err := s.fetcher.FetchActor(context.Background(), rm.URL+"/users/alice")
	if err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(a.Handle)); n > convert.MaxShortText {
		t.Errorf("handle kept %d characters", n)
	}
	if n := len([]rune(a.Name)); n > convert.MaxShortText {
		t.Errorf("name kept %d characters", n)
	}
	if a.Outbox != "" {
		t.Errorf("outbox %q kept", a.Outbox)
	}
}

// testConfig is the configuration of pollen.example, allowing private
// network addresses or not, for the tests that fetch.
func testConfig(allowPrivate bool) config.Config {
	cfg := config.Default()
	cfg.BaseURL, _ = url.Parse("https://pollen.example")
	cfg.AllowPrivateNetworks = allowPrivate
	cfg.HTTPTimeout = 5 * time.Second
	return cfg
}
