package mastoapi_test

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// mastoDir finds masto.js, the library Elk is built on: the package
// directory POLLEN_MASTO names, else where .ci/run installs it. Without
// it the test is skipped, or fails when CI is set.
func mastoDir(t *testing.T) string {
	t.Helper()
	dirs := []string{os.Getenv("POLLEN_MASTO")}
	if dirs[0] == "" {
		home, _ := os.UserHomeDir()
		dirs = []string{filepath.Join(home, ".cache", "pollen-masto", "node_modules", "masto")}
	}
	if _, err := os.Stat(filepath.Join(dirs[0], "dist", "esm", "index.js")); err == nil {
		return dirs[0]
	}
	install := "npm install masto in a directory and set POLLEN_MASTO to its node_modules/masto"
	if os.Getenv("CI") != "" {
		t.Fatalf("masto.js not found at %s: %s", dirs[0], install)
	}
	t.Skipf("masto.js not found at %s: %s", dirs[0], install)
	return ""
}

// mastoResults are the answers of the script's steps the test checks.
type mastoResults struct {
	Masto   string `json:"masto"`
	Results struct {
		Token struct {
			Scope     string `json:"scope"`
			TokenType string `json:"tokenType"`
		} `json:"token"`
		Instance struct {
			V1 struct{ URI, Title, Version string } `json:"v1"`
			V2 struct{ Domain, Title string }       `json:"v2"`
		} `json:"instance"`
		PeerInstance      struct{ Domain, Title string } `json:"peerInstance"`
		VerifyCredentials struct {
			ID, Username, Acct string
			Source             struct{ Privacy string }
		} `json:"verifyCredentials"`
		PublicTimeline [][]struct{ ID, Acct, Content, URL string } `json:"publicTimeline"`
		Lookup         struct{ ID, Acct string }                   `json:"lookup"`
		Relationships  []struct {
			ID                   string
			Following, Requested bool
		} `json:"relationships"`
		FollowPeer   struct{ Following, Requested bool } `json:"followPeer"`
		HomeTimeline struct {
			ID, URI, Content string
			Account          struct{ Acct string }
		} `json:"homeTimeline"`
		ReplyToPeer struct {
			URI, InReplyToID string
		} `json:"replyToPeer"`
		Notifications struct {
			Type    string
			Account struct{ Acct string }
		} `json:"notifications"`
		UnfollowPeer struct{ Following, Requested bool } `json:"unfollowPeer"`
	} `json:"results"`
}

// runMasto runs testdata/masto-flow.mjs against n (peer is the other
// node, whose admin token the later steps use): it prints the authorise URL, the test authorises it as a member
// of staff and writes back where the node redirected; then it prints its
// results.
func runMasto(t *testing.T, node, dir string, n, peer *testrig.Node) mastoResults {
	t.Helper()
	cmd := exec.Command(node, filepath.Join("testdata", "masto-flow.mjs"), dir, n.URL, peer.URL)
	cmd.Env = append(os.Environ(), "PEER_TOKEN="+peer.Token)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	lines.Buffer(nil, 1<<22)
	var asked struct{ Authorize string }
	if !lines.Scan() || json.Unmarshal(lines.Bytes(), &asked) != nil || asked.Authorize == "" {
		_ = cmd.Wait()
		t.Fatalf("masto-flow.mjs printed %q, no authorise URL\n%s", lines.Text(), stderr.String())
	}
	_, _ = io.WriteString(stdin, consent(t, n, asked.Authorize)+"\n")
	var res mastoResults
	if !lines.Scan() || json.Unmarshal(lines.Bytes(), &res) != nil {
		_ = cmd.Wait()
		t.Fatalf("masto-flow.mjs printed %q, no results\n%s", lines.Text(), stderr.String())
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("masto-flow.mjs: %v\n%s", err, stderr.String())
	}
	return res
}

// TestMasto: masto.js (the library Elk uses) registers an app on a real
// node, signs in with the authorisation code flow, PKCE S256 and a state,
// and reads the instance (v1 and v2, another node's too), its account,
// the public timeline page by page through the Link header, a lookup and
// relationships; then it resolves and follows a second real node, finds
// its case study in the home timeline, answers it (the reply reaches the
// peer's discussion), is told when the peer follows back, and unfollows.
// Without node or masto the test is skipped, or fails when CI is set.
func TestMasto(t *testing.T) {
	node := needClient(t, "apt-get install nodejs", "node")
	dir := mastoDir(t)
	n := testrig.StartNode(t, testrig.Options{})
	addStaff(t, n)
	older := testrig.CaseStudyBody()
	older["title"], older["published"] = "Sharing a back office", "2023-06-01T09:00:00Z"
	n.Publish(t, older)
	n.Publish(t, testrig.CaseStudyBody())
	peer := startPeer(t)
	host := strings.TrimPrefix(n.URL, "http://")

	got := runMasto(t, node, dir, n, peer)
	r := got.Results
	t.Logf("masto %s", got.Masto)
	if !strings.Contains(" "+r.Token.Scope+" ", " push ") || !strings.Contains(r.Token.Scope, "read write follow") ||
		!strings.EqualFold(r.Token.TokenType, "bearer") {
		t.Errorf("token = %+v, want a Bearer token for read write follow push", r.Token)
	}
	if r.Instance.V1.URI != host || r.Instance.V2.Domain != host || r.Instance.V2.Title != "Test Council" ||
		!strings.HasPrefix(r.Instance.V1.Version, "4.3.0 (compatible; Pollen ") {
		t.Errorf("instance = %+v", r.Instance)
	}
	if r.PeerInstance.Domain != strings.TrimPrefix(peer.URL, "http://") || r.PeerInstance.Title != "Peer Council" {
		t.Errorf("peer instance = %+v", r.PeerInstance)
	}
	me := r.VerifyCredentials
	if me.Username != "org" || me.Acct != "org" || me.ID == "" || me.Source.Privacy != "public" {
		t.Errorf("verifyCredentials = %+v", me)
	}
	if r.Lookup.ID != me.ID || r.Lookup.Acct != "org" {
		t.Errorf("lookup = %+v, want the account %s", r.Lookup, me.ID)
	}
	if len(r.Relationships) != 1 || r.Relationships[0].ID != me.ID || r.Relationships[0].Following || r.Relationships[0].Requested {
		t.Errorf("relationships = %+v", r.Relationships)
	}
	var titles []string
	for _, page := range r.PublicTimeline {
		for _, s := range page {
			if s.Acct != "org" || !strings.HasPrefix(s.URL, n.URL+"/") {
				t.Errorf("public timeline status %+v", s)
			}
			titles = append(titles, s.Content)
		}
	}
	if len(r.PublicTimeline) < 2 || len(titles) != 2 || !strings.Contains(titles[0], "Keeping the libraries open") ||
		!strings.Contains(titles[1], "Sharing a back office") {
		t.Errorf("public timeline pages = %+v, want the two case studies, newest first, one a page", r.PublicTimeline)
	}
	peerHandle := "org@" + strings.TrimPrefix(peer.URL, "http://")
	if !r.FollowPeer.Following && !r.FollowPeer.Requested {
		t.Errorf("follow = %+v", r.FollowPeer)
	}
	if r.HomeTimeline.Account.Acct != peerHandle || !strings.Contains(r.HomeTimeline.Content, "Running the leisure centres") ||
		!strings.HasPrefix(r.HomeTimeline.URI, peer.URL+"/") {
		t.Errorf("home timeline = %+v, want the peer's case study", r.HomeTimeline)
	}
	if r.ReplyToPeer.InReplyToID != r.HomeTimeline.ID || !strings.HasPrefix(r.ReplyToPeer.URI, n.URL+"/notes/") {
		t.Errorf("reply = %+v, want a note of ours answering %s", r.ReplyToPeer, r.HomeTimeline.ID)
	}
	if r.Notifications.Type != "follow" || r.Notifications.Account.Acct != peerHandle {
		t.Errorf("notification = %+v, want the peer's follow", r.Notifications)
	}
	if r.UnfollowPeer.Following || r.UnfollowPeer.Requested {
		t.Errorf("unfollow = %+v", r.UnfollowPeer)
	}
}
