package main

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// buildOnce builds the pollen binary once for the tests that run it as
// processes.
var buildOnce struct {
	sync.Once
	dir string
	bin string
	err error
	out []byte
}

// pollenBinary builds the binary (once per test run) and returns its path.
func pollenBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pollen-test-bin-")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.dir = dir
		buildOnce.bin = filepath.Join(dir, "pollen")
		buildOnce.out, buildOnce.err = exec.Command("go", "build", "-o", buildOnce.bin, ".").CombinedOutput()
	})
	if buildOnce.err != nil {
		t.Fatalf("go build: %v\n%s", buildOnce.err, buildOnce.out)
	}
	return buildOnce.bin
}

// TestMain removes the binary the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if buildOnce.dir != "" {
		_ = os.RemoveAll(buildOnce.dir)
	}
	os.Exit(code)
}

// freeAddr is a free port on 127.0.0.1.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// procNode is a node's settings for running `pollen serve` as processes:
// its public base URL and the environment every process of it shares.
type procNode struct {
	bin, dir string
	base     string
	env      []string
	token    string
}

// newProcNode configures a node whose base URL is on listen, with its data
// in a temp folder and db as its database (a PostgreSQL DSN, or "" for
// SQLite in the data folder). Retries and leases are short, so that a test
// waits seconds.
func newProcNode(t *testing.T, db testrig.DB, listen string, extra ...string) *procNode {
	t.Helper()
	p := &procNode{bin: pollenBinary(t), dir: t.TempDir(), base: "http://" + listen}
	p.env = append(cleanEnv(),
		"POLLEN_BASE_URL="+p.base,
		"POLLEN_DATA_DIR="+filepath.Join(p.dir, "data"),
		"POLLEN_ALLOW_PRIVATE_NETWORKS=true",
		"POLLEN_DELIVERY_RETRY_BASE=200ms",
		"POLLEN_HTTP_TIMEOUT=3s",
		"POLLEN_DELIVERY_LEASE=6s",
		"POLLEN_SHUTDOWN_GRACE_PERIOD=2s",
		"POLLEN_LOG_LEVEL=debug",
	)
	if db.Name == "postgres" {
		p.env = append(p.env, "POLLEN_DATABASE_URL="+db.DSN)
	}
	p.env = append(p.env, extra...)
	return p
}

// actor is the node's organisation actor (the default handle).
func (p *procNode) actor() string { return p.base + "/actors/pollen" }

// makeToken creates an admin token with the CLI.
func (p *procNode) makeToken(t *testing.T) {
	t.Helper()
	out := run(t, p.dir, p.env, p.bin, "token", "create", "--name", "test")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	p.token = lines[len(lines)-1]
}

// api calls the node's JSON API through the process listening on addr.
func (p *procNode) api(t *testing.T, addr, method, path string, body any) testrig.Response {
	t.Helper()
	return testrig.Do(t, method, "http://"+addr+"/api/v1"+path, body, map[string]string{"Authorization": "Bearer " + p.token})
}

// queueCounts reads the queue's counts through the process at addr.
func (p *procNode) queueCounts(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	var q struct {
		Counts map[string]float64 `json:"counts"`
	}
	p.api(t, addr, http.MethodGet, "/queue", nil).Decode(t, &q)
	return q.Counts
}

// proc is one running `pollen serve`.
type proc struct {
	cmd    *exec.Cmd
	addr   string
	logs   *syncBuffer
	exited chan error
	gone   chan struct{} // closed once the process has exited
	done   bool
}

// serve starts `pollen serve` listening on addr and waits until it is
// ready. The process is killed when the test ends.
func (p *procNode) serve(t *testing.T, addr string) *proc {
	t.Helper()
	pr := &proc{addr: addr, logs: &syncBuffer{}, exited: make(chan error, 1), gone: make(chan struct{})}
	pr.cmd = exec.Command(p.bin, "serve")
	pr.cmd.Dir, pr.cmd.Stdout, pr.cmd.Stderr = p.dir, pr.logs, pr.logs
	pr.cmd.Env = append(append([]string(nil), p.env...), "POLLEN_LISTEN="+addr)
	if err := pr.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		pr.exited <- pr.cmd.Wait()
		close(pr.gone)
	}()
	t.Cleanup(func() {
		pr.kill(t)
		if t.Failed() {
			t.Logf("log of the node on %s:\n%s", addr, pr.logs.String())
		}
	})
	waitReady(t, "http://"+addr, pr.exited)
	return pr
}

// kill ends the process with SIGKILL, as a crash or the OOM killer does,
// and waits until it is gone.
func (pr *proc) kill(t *testing.T) {
	t.Helper()
	if pr.done {
		return
	}
	pr.done = true
	if err := pr.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Logf("kill: %v", err)
	}
	<-pr.gone
}
