package mastoapi_test

import (
	"bufio"
	"encoding/json"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// mastodonPyResults are the answers of testdata/mastodonpy-flow.py the test
// checks.
type mastodonPyResults struct {
	Me     struct{ Acct string }
	Follow struct{ Following, Requested bool }
	Home   struct {
		ID      json.Number
		URI     string
		Content string
		Account struct{ Acct string }
	}
	Public []string
	Reply  struct {
		URI         string
		InReplyToID json.Number `json:"in_reply_to_id"`
	}
	Notification struct {
		Type    string
		Account struct{ Acct string }
	}
	Unfollow struct{ Following bool }
}

// TestMastodonPyFlow: Mastodon.py (Debian's python3-mastodon 1.8) goes
// through issue 8's flow on a real node with a second real node: app,
// out-of-band login, resolve and follow the peer, its case study in the
// home timeline and the regional feed, a reply that reaches the peer's
// discussion, the peer's follow notified, unfollow. Without Mastodon.py
// the test is skipped, or fails when CI is set.
func TestMastodonPyFlow(t *testing.T) {
	python := needMastodonPy(t)
	n := testrig.StartNode(t, testrig.Options{})
	addStaff(t, n)
	n.Publish(t, testrig.CaseStudyBody())
	peer := startPeer(t)

	cmd := exec.Command(python, filepath.Join("testdata", "mastodonpy-flow.py"), n.URL, peer.URL)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var last string
	lines := bufio.NewScanner(stdout)
	lines.Buffer(make([]byte, 1<<20), 1<<20)
	for lines.Scan() {
		switch line := lines.Text(); {
		case strings.HasPrefix(line, "AUTHORIZE "):
			_, _ = io.WriteString(stdin, consent(t, n, strings.TrimPrefix(line, "AUTHORIZE "))+"\n")
		case line == "PEER_FOLLOWS":
			peerFollows(t, n, peer)
			_, _ = io.WriteString(stdin, "ok\n")
		default:
			last = line
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("Mastodon.py: %v\n%s", err, stderr.String())
	}
	var r mastodonPyResults
	if err := json.Unmarshal([]byte(last), &r); err != nil {
		t.Fatalf("Mastodon.py printed %q: %v", last, err)
	}
	peerHandle := "org@" + strings.TrimPrefix(peer.URL, "http://")
	if r.Me.Acct != "org" || (!r.Follow.Following && !r.Follow.Requested) {
		t.Errorf("account %+v, follow %+v", r.Me, r.Follow)
	}
	if r.Home.Account.Acct != peerHandle || !strings.Contains(r.Home.Content, "Running the leisure centres") {
		t.Errorf("home timeline = %+v, want the peer's case study", r.Home)
	}
	if r.Reply.InReplyToID != r.Home.ID || !strings.HasPrefix(r.Reply.URI, n.URL+"/notes/") {
		t.Errorf("reply = %+v, want a note of ours answering %s", r.Reply, r.Home.ID)
	}
	if r.Notification.Type != "follow" || r.Notification.Account.Acct != peerHandle || r.Unfollow.Following {
		t.Errorf("notification = %+v, unfollow = %+v", r.Notification, r.Unfollow)
	}
}
