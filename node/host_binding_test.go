package node_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/testrig"
)

// TestSignedForAnotherHost: a request alice signed for another server,
// or for this host on another port, is refused with 401 when it is sent
// to this node, and nothing is stored; the same activity signed for this
// node is taken.
func TestSignedForAnotherHost(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: fast})
		rm := testrig.StartRemote(t)
		host, port, _ := net.SplitHostPort(n.Config.Host())
		p, _ := strconv.Atoi(port)
		follow := map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams",
			"id":       rm.ActorIRI + "/follows/bound", "type": "Follow", "actor": rm.ActorIRI,
			"object": n.URL + "/actors/" + n.Config.Handle,
		}
		body, _ := json.Marshal(follow)
		for _, other := range []string{"social.example", net.JoinHostPort(host, strconv.Itoa(p+1)), "localhost:" + port, rm.URL[len("http://"):]} {
			r := rm.PostWith(t, n.URL+"/inbox", body, time.Now(), func(r *http.Request) {
				// Signed for other, then sent here with the same Host.
				r.Host = other
				if err := httpsig.Sign(r, httpsig.Key{KeyID: rm.KeyID, Key: rm.Key}, body, time.Now()); err != nil {
					t.Fatal(err)
				}
			})
			if r.Status != http.StatusUnauthorized || !strings.Contains(string(r.Body), "signed for the host") {
				t.Errorf("signed for %s: %d %s, want 401 naming the host", other, r.Status, r.Body)
			}
		}
		if counts, err := n.Store.Activities.Counts(context.Background()); err != nil || len(counts) != 0 {
			t.Errorf("activities stored after the refusals: %v %v", counts, err)
		}
		if r := rm.Post(t, n.URL+"/inbox", body); r.Status != http.StatusAccepted {
			t.Errorf("signed for this node: %d %s", r.Status, r.Body)
		}
	})
}

// TestGoToSocialCapturesReplayed sends every POST GoToSocial delivered to
// bob's server, byte for byte, to a node: each is refused as signed for
// another host before its age or its key is even looked at.
func TestGoToSocialCapturesReplayed(t *testing.T) {
	fx := testrig.Shared(t, "fixtures/gotosocial")
	files, _ := filepath.Glob(filepath.Join(fx, "[0-9][0-9]-inbox-*.json"))
	if len(files) == 0 {
		t.Fatalf("no GoToSocial inbox captures in %s", fx)
	}
	n := testrig.StartNode(t, testrig.Options{Configure: fast})
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			Headers map[string]string `json:"headers"`
			BodyRaw string            `json:"body_raw"`
		}
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatal(err)
		}
		req, err := http.NewRequest(http.MethodPost, n.URL+"/inbox", bytes.NewReader([]byte(c.BodyRaw)))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range c.Headers {
			req.Header.Set(k, v)
		}
		req.Host = c.Headers["Host"]
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var answer struct{ Error string }
		_ = json.NewDecoder(resp.Body).Decode(&answer)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(answer.Error, `signed for the host "`+c.Headers["Host"]+`"`) {
			t.Errorf("%s: %d %q, want 401 naming the host %s", filepath.Base(f), resp.StatusCode, answer.Error, c.Headers["Host"])
		}
	}
	if counts, err := n.Store.Activities.Counts(context.Background()); err != nil || len(counts) != 0 {
		t.Errorf("activities stored: %v %v", counts, err)
	}
}
