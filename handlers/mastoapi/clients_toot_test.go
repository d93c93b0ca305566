package mastoapi_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/testrig"
)

// toot runs Debian's toot (0.34, the command line Mastodon client) against
// a node, with its configuration (apps and tokens) in a directory of its
// own.
type toot struct {
	bin, home string
	// host is the node as toot names it: host:port, over plain http.
	host string
}

// tootStep is one toot command (args, or argsOf when they are known only
// once the steps before have run) and the lines its output must contain
// and must not; before, if set, is what happens elsewhere first (on the
// other node), after what must follow elsewhere.
type tootStep struct {
	args          []string
	argsOf        func(t *testing.T) []string
	want, absent  []string
	before, after func(t *testing.T)
}

// run runs toot with args and returns what it printed; a failure (toot
// exits 1 on any API error) fails the test.
func (tt toot) run(t *testing.T, stdin io.Reader, args ...string) string {
	t.Helper()
	cmd := tt.command(args...)
	cmd.Stdin = stdin
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("toot %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (tt toot) command(args ...string) *exec.Cmd {
	cmd := exec.Command(tt.bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+tt.home, "XDG_CONFIG_HOME="+filepath.Join(tt.home, ".config"),
		"PYTHONUNBUFFERED=1", "NO_COLOR=1", "TERM=dumb")
	return cmd
}

// login is `toot login`, the out-of-band browser login: toot registers
// its app, prints the authorise URL and reads the code the member of
// staff copies from the page, which consent gets.
func (tt toot) login(t *testing.T, n *testrig.Node) {
	t.Helper()
	cmd := tt.command("login", "--instance", tt.host, "--disable-https", "--no-color")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var printed strings.Builder
	lines := bufio.NewScanner(stdout)
	authorize := ""
	for authorize == "" && lines.Scan() {
		printed.WriteString(lines.Text() + "\n")
		if strings.HasPrefix(lines.Text(), n.URL+"/oauth/authorize") {
			authorize = lines.Text()
		}
	}
	if authorize == "" {
		_ = cmd.Wait()
		t.Fatalf("toot login printed no authorise URL:\n%s", printed.String())
	}
	// "Open link in default browser? [Y/n]", then "Authorization code: ".
	_, _ = io.WriteString(stdin, "n\n"+consent(t, n, authorize)+"\n")
	rest, _ := io.ReadAll(stdout)
	printed.Write(rest)
	if err := cmd.Wait(); err != nil || !strings.Contains(printed.String(), "Successfully logged in") {
		t.Fatalf("toot login: %v\n%s", err, printed.String())
	}
}

// tootFlow is issue 8's whole flow with toot on n, in the order a new
// user goes: read the instances, the account and the regional feed,
// resolve and follow peer, read its case study in the home timeline, ask
// a question, answer its case study (the reply reaches its discussion),
// hear that it followed back, unfollow it (its statuses leave the home
// timeline).
func tootFlow(n, peer *testrig.Node) []tootStep {
	host, peerHost := strings.TrimPrefix(n.URL, "http://"), strings.TrimPrefix(peer.URL, "http://")
	peerHandle := "org@" + peerHost
	const pools, reply = "Opening the pools on Sundays", "How did you keep the lifeguards on board?"
	return []tootStep{
		{args: []string{"auth"}, want: []string{"* org@" + host + " ACTIVE"}},
		{args: []string{"instance", "--disable-https"}, want: []string{"Test Council", host, "running Mastodon 4.3.0 (compatible; Pollen "}},
		// Another node read without signing in there.
		{args: []string{"instance", peerHost, "--disable-https"}, want: []string{"Peer Council", peerHost}},
		{args: []string{"whoami"}, want: []string{"@org Test Council", "Statuses: 1", "Followers: 0", "http://" + host + "/"}},
		{args: []string{"timeline", "--public", "--once"}, want: []string{"@org", "Keeping the libraries open"}},
		{args: []string{"timeline", "--public", "--local", "--once"}, want: []string{"Keeping the libraries open"}},
		// /api/v2/search?resolve=true
		{args: []string{"whois", peerHandle}, want: []string{"@" + peerHandle + " Peer Council"}},
		// accounts/:id/follow (toot finds the account through search)
		{args: []string{"follow", peerHandle}, want: []string{"You are now following " + peerHandle}},
		{args: []string{"following", "org"}, want: []string{peerHandle}},
		// timelines/home: the case study the peer publishes once we follow
		{args: []string{"timeline", "--once"}, want: []string{"@" + peerHandle, pools},
			before: func(t *testing.T) { peerPublishes(t, n, peer, pools) }},
		// POST /api/v1/statuses: a question to peers
		{args: []string{"post", "Has anyone spun out a leisure service? #leisure"}, want: []string{"Toot posted: http://" + host + "/notes/"}},
		// a reply to the peer's case study, which its discussion shows
		{argsOf: func(t *testing.T) []string { return []string{"post", "-r", homeStatusID(t, n, pools), reply} },
			want: []string{"Toot posted"}, after: func(t *testing.T) { peerShowsReply(t, peer, pools, reply) }},
		// notifications: the peer follows us
		{args: []string{"notifications"}, want: []string{"@" + peerHandle + " now follows you"},
			before: func(t *testing.T) { peerFollows(t, n, peer) }},
		// accounts/:id/unfollow: the peer's statuses leave the home timeline
		{args: []string{"unfollow", peerHandle}, want: []string{"You are no longer following " + peerHandle}},
		{args: []string{"timeline", "--once"}, want: []string{"Has anyone spun out a leisure service?"}, absent: []string{pools}},
	}
}

// homeStatusID is the id of the status titled title in n's home timeline.
func homeStatusID(t *testing.T, n *testrig.Node, title string) string {
	t.Helper()
	home := statusesOf(t, n.API(t, http.MethodGet, "/timelines/home?limit=40", nil))
	for _, s := range home {
		if strings.Contains(s.Content, title) {
			return s.ID
		}
	}
	t.Fatalf("no %q in the home timeline: %+v", title, home)
	return ""
}

// statusesOf reads the ids and contents of the statuses r answers.
func statusesOf(t *testing.T, r testrig.Response) []struct{ ID, Content string } {
	t.Helper()
	var out []struct{ ID, Content string }
	if err := json.Unmarshal(r.Body, &out); r.Status != http.StatusOK || err != nil {
		t.Fatalf("statuses: %d %v\n%s", r.Status, err, r.Body)
	}
	return out
}

// peerShowsReply waits until peer shows text in the discussion of its case
// study titled title, on the case study's page and in its context.
func peerShowsReply(t *testing.T, peer *testrig.Node, title, text string) {
	t.Helper()
	id := ""
	public := statusesOf(t, peer.API(t, http.MethodGet, "/timelines/public?local=true&limit=40", nil))
	for _, s := range public {
		if strings.Contains(s.Content, title) {
			id = s.ID
		}
	}
	if id == "" {
		t.Fatalf("no %q on the peer: %+v", title, public)
	}
	testrig.Eventually(t, "the reply in the peer's discussion", func() bool {
		return strings.Contains(string(peer.API(t, http.MethodGet, "/statuses/"+id+"/context", nil).Body), text)
	})
}

// peerPublishes waits until peer has accepted n's follow, has peer
// publish a case study titled title and waits until n has received it.
func peerPublishes(t *testing.T, n, peer *testrig.Node, title string) {
	t.Helper()
	followAccepted(t, n)
	had := n.StoredCaseStudies(t)
	cs := testrig.CaseStudyBody()
	cs["title"], cs["service_area"], cs["tags"] = title, "leisure", []string{"leisure"}
	peer.Publish(t, cs)
	testrig.Eventually(t, "the peer's case study delivered", func() bool { return n.StoredCaseStudies(t) > had })
}

// peerFollows has peer follow n and waits until n has accepted it.
func peerFollows(t *testing.T, n, peer *testrig.Node) {
	t.Helper()
	r := peer.API(t, http.MethodPost, "/follows", map[string]any{"target": "@org@" + strings.TrimPrefix(n.URL, "http://")})
	if r.Status != http.StatusAccepted {
		t.Fatalf("peer follows: %d %s", r.Status, r.Body)
	}
	followAccepted(t, peer)
}

// followAccepted waits until n's follow has been accepted.
func followAccepted(t *testing.T, n *testrig.Node) {
	t.Helper()
	testrig.Eventually(t, "the follow accepted", func() bool {
		return strings.Contains(string(n.API(t, http.MethodGet, "/follows", nil).Body), `"state":"accepted"`)
	})
}

// TestToot: toot, Debian's command line client, logs in to a real node
// out of band (the member of staff authorises it on the consent page,
// without JavaScript) and goes through issue 8's flow (tootFlow) with a
// second real node. Without toot the test is skipped, or fails when CI is
// set.
func TestToot(t *testing.T) {
	bin := needClient(t, "apt-get install toot", "toot")
	n := testrig.StartNode(t, testrig.Options{})
	addStaff(t, n)
	n.Publish(t, testrig.CaseStudyBody())
	peer := startPeer(t)
	tt := toot{bin: bin, home: t.TempDir(), host: strings.TrimPrefix(n.URL, "http://")}

	tt.login(t, n)
	for _, s := range tootFlow(n, peer) {
		if s.before != nil {
			s.before(t)
		}
		args := s.args
		if s.argsOf != nil {
			args = s.argsOf(t)
		}
		out := tt.run(t, nil, args...)
		for _, w := range s.want {
			if !strings.Contains(out, w) {
				t.Errorf("toot %s: no %q in\n%s", strings.Join(args, " "), w, out)
			}
		}
		for _, w := range s.absent {
			if strings.Contains(out, w) {
				t.Errorf("toot %s: %q still in\n%s", strings.Join(args, " "), w, out)
			}
		}
		if s.after != nil {
			s.after(t)
		}
	}
}

// startPeer starts the second node of the clients' flow, another council
// with a case study of its own.
func startPeer(t *testing.T) *testrig.Node {
	t.Helper()
	peer := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) { c.Name = "Peer Council" }})
	cs := testrig.CaseStudyBody()
	cs["title"], cs["service_area"], cs["tags"] = "Running the leisure centres", "leisure", []string{"leisure"}
	peer.Publish(t, cs)
	return peer
}
