package node_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/handlers"
	"github.com/pollen-coop/pollen/testrig"
)

// heldPost writes a POST to the node's shared inbox with the given headers
// and all of its body but the last byte, and returns the connection, held
// open; the answer, if any comes before the body is finished, is read by
// answer.
type heldPost struct {
	conn net.Conn
	rest []byte
}

func holdPost(t *testing.T, n *testrig.Node, header http.Header, body []byte) *heldPost {
	t.Helper()
	conn, err := net.Dial("tcp", n.Config.Host())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	var b bytes.Buffer
	fmt.Fprintf(&b, "POST /inbox HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", n.Config.Host(), len(body))
	_ = header.Write(&b)
	b.WriteString("\r\n")
	b.Write(body[:len(body)-1])
	if _, err := conn.Write(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	return &heldPost{conn: conn, rest: body[len(body)-1:]}
}

// answer reads the answer; the deadline only keeps a broken node from
// hanging the test.
func (h *heldPost) answer(t *testing.T) (int, string) {
	t.Helper()
	_ = h.conn.SetReadDeadline(time.Now().Add(time.Minute))
	resp, err := http.ReadResponse(bufio.NewReader(h.conn), nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

func (h *heldPost) finish(t *testing.T) (int, string) {
	t.Helper()
	if _, err := h.conn.Write(h.rest); err != nil {
		t.Fatal(err)
	}
	return h.answer(t)
}

// signedHeaders signs body as rm's actor for the node's inbox.
func signedHeaders(t *testing.T, n *testrig.Node, rm *testrig.Remote, body []byte) http.Header {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, n.URL+"/inbox", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", ap.MediaTypeActivity)
	if err := httpsig.Sign(r, httpsig.Key{KeyID: rm.KeyID, Key: rm.Key}, body, time.Now()); err != nil {
		t.Fatal(err)
	}
	return r.Header
}

func followBody(rm *testrig.Remote, n *testrig.Node, i int, pad int) []byte {
	b, _ := json.Marshal(map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       fmt.Sprintf("%s/follows/held-%d", rm.ActorIRI, i), "type": "Follow", "actor": rm.ActorIRI,
		"object": n.URL + "/actors/" + n.Config.Handle, "summary": strings.Repeat(" ", pad),
	})
	return b
}

// TestInboxRefusesBeforeTheBody: an unsigned, stale or misdirected POST
// announcing a large body is answered before any of the body is sent.
func TestInboxRefusesBeforeTheBody(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{Configure: fast})
	rm := testrig.StartRemote(t)
	body := followBody(rm, n, 1, 900_000)
	stale := signedHeaders(t, n, rm, body)
	stale.Set("Date", time.Now().Add(-2*time.Hour).UTC().Format(http.TimeFormat))
	cases := map[string]struct {
		header http.Header
		status int
		reason string
	}{
		"unsigned": {http.Header{"Content-Type": {"application/activity+json"}}, 401, "not signed"},
		"stale":    {stale, 401, "stale"},
		"bad signature": {func() http.Header {
			h := signedHeaders(t, n, rm, body)
			h.Set("Digest", "SHA-256="+strings.Repeat("A", 43)+"=")
			return h
		}(), 401, "does not verify"},
		"malformed sig": {http.Header{"Signature": {"garbage"}}, 400, "Signature"},
		"unknown key": {func() http.Header {
			h := signedHeaders(t, n, rm, body)
			h.Set("Signature", strings.Replace(h.Get("Signature"), rm.KeyID, rm.URL+"/nobody#key", 1))
			return h
		}(), 401, "signing key"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			h := &heldPost{}
			conn, err := net.Dial("tcp", n.Config.Host())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			h.conn = conn
			var b bytes.Buffer
			fmt.Fprintf(&b, "POST /inbox HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", n.Config.Host(), len(body))
			_ = c.header.Write(&b)
			b.WriteString("\r\n") // and no body at all
			if _, err := conn.Write(b.Bytes()); err != nil {
				t.Fatal(err)
			}
			status, answer := h.answer(t)
			if status != c.status || !strings.Contains(answer, c.reason) {
				t.Errorf("answer %d %s, want %d with %q", status, answer, c.status, c.reason)
			}
		})
	}
	if counts, err := n.Store.Activities.Counts(context.Background()); err != nil || len(counts) != 0 {
		t.Errorf("activities stored: %v %v", counts, err)
	}
	// A signed activity of exactly 1 MiB is read and taken.
	body = followBody(rm, n, 2, 0)
	body = append(body[:len(body)-1], []byte(strings.Repeat(" ", handlers.MaxBody-len(body))+"}")...)
	if r := rm.Post(t, n.URL+"/inbox", body); len(body) != 1<<20 || r.Status != http.StatusAccepted {
		t.Errorf("a signed activity of %d bytes: %d %s", len(body), r.Status, r.Body)
	}
}

// TestInboxBodiesBounded: with room for four bodies at once, one address
// may hold one; a second from it is a 503 at once, and when every slot is
// held a sender from elsewhere waits and then gets a 503; once the held
// bodies finish, activities are taken again.
func TestInboxBodiesBounded(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) {
		fast(c)
		c.InboxConcurrency = 4
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	}})
	rm := testrig.StartRemote(t)
	from := func(i int) http.Header {
		h := http.Header{}
		h.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i))
		return h
	}
	post := func(i int, addr int) *heldPost {
		body := followBody(rm, n, i, 1000)
		h := signedHeaders(t, n, rm, body)
		h.Set("X-Forwarded-For", from(addr).Get("X-Forwarded-For"))
		return holdPost(t, n, h, body)
	}
	// hold sends a body from addr and holds it open, until the node is
	// seen holding it: another body from addr is then a 503 at once, and
	// the held one has no answer yet.
	probes := 100
	hold := func(i, addr int) *heldPost {
		var h *heldPost
		testrig.Eventually(t, fmt.Sprintf("a body from address %d is held", addr), func() bool {
			if h != nil {
				h.conn.Close()
			}
			h = post(i, addr)
			probes++
			r := rm.PostWith(t, n.URL+"/inbox", followBody(rm, n, probes, 0), time.Now(), func(r *http.Request) {
				r.Header.Set("X-Forwarded-For", from(addr).Get("X-Forwarded-For"))
			})
			if r.Status != http.StatusServiceUnavailable {
				return false // the probe came first
			}
			if !strings.Contains(string(r.Body), "too many activities from 203.0.113.") {
				t.Fatalf("a second body from one address: %d %s", r.Status, r.Body)
			}
			_ = h.conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
			_, err := h.conn.Read(make([]byte, 1))
			return errors.Is(err, os.ErrDeadlineExceeded)
		})
		return h
	}
	var bodies []*heldPost
	for i := 1; i <= 4; i++ {
		bodies = append(bodies, hold(i, i))
	}
	status, answer := post(20, 9).answer(t)
	if status != http.StatusServiceUnavailable || !strings.Contains(answer, "busy") {
		t.Errorf("with every slot held: %d %s, want 503 busy", status, answer)
	}
	for i, h := range bodies {
		if status, answer := h.finish(t); status != http.StatusAccepted {
			t.Errorf("held body %d: %d %s", i, status, answer)
		}
	}
	if r := rm.Post(t, n.URL+"/inbox", followBody(rm, n, 30, 0)); r.Status != http.StatusAccepted {
		t.Errorf("after the held bodies: %d %s", r.Status, r.Body)
	}
}

// TestInboxSlowBodyTimesOut: a signed body that stops short of its
// Content-Length is answered 408 once the body timeout passes, and its
// slot and activity are not kept: the same activity sent whole afterwards
// is new to the node (202, not 409).
func TestInboxSlowBodyTimesOut(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{Configure: fast})
	rm := testrig.StartRemote(t)
	body := followBody(rm, n, 1, 0)
	held := holdPost(t, n, signedHeaders(t, n, rm, body), body)
	status, answer := held.answer(t)
	if status != http.StatusRequestTimeout || !strings.Contains(answer, "did not arrive") {
		t.Fatalf("a body held back: %d %s, want 408", status, answer)
	}
	var act map[string]any
	if err := json.Unmarshal(body, &act); err != nil {
		t.Fatal(err)
	}
	if r := rm.Post(t, n.URL+"/inbox", act); r.Status != http.StatusAccepted {
		t.Errorf("the same activity sent whole after the timeout: %d %s, want 202", r.Status, r.Body)
	}
}
