package testrig

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/node"
)

// Options shape a test node. The zero value is a node on SQLite.
type Options struct {
	// DB is the database; empty means a fresh SQLite file.
	DB DB
	// Configure changes the configuration before the node starts.
	Configure func(*config.Config)
	// Listen is the address to listen on; empty means a free port on
	// 127.0.0.1. Restart uses it to bring a node back where it was.
	Listen string
	// Log receives the node's logs; nil means Logger(t).
	Log *slog.Logger
}

// Node is a running test node.
type Node struct {
	*node.Node
	// URL is its base URL, http://127.0.0.1:PORT.
	URL string
	// Token is an admin API token.
	Token string

	opts    Options
	stop    context.CancelFunc
	stopped chan error
}

// StartNode starts a node listening on 127.0.0.1 on a free port, with its
// base URL set to match and an admin token made. It stops when the test
// ends.
func StartNode(t testing.TB, opts Options) *Node {
	t.Helper()
	if opts.DB.DSN == "" {
		opts.DB = SQLite(t)
	}
	addr := opts.Listen
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	opts.Listen = l.Addr().String()
	cfg := config.Default()
	cfg.BaseURL, _ = url.Parse("http://" + l.Addr().String())
	cfg.Listen = l.Addr().String()
	cfg.DataDir = t.TempDir()
	cfg.DatabaseURL = opts.DB.DSN
	cfg.Handle = "org"
	cfg.Name = "Test Council"
	cfg.OrgType = "council"
	cfg.Region = "North West"
	cfg.AllowPrivateNetworks = true
	cfg.ShutdownGracePeriod = 5 * time.Second
	if opts.Configure != nil {
		opts.Configure(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("test node config: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	log := opts.Log
	if log == nil {
		log = Logger(t)
	}
	n, err := node.Open(ctx, cfg, log)
	if err != nil {
		cancel()
		t.Fatalf("open node: %v", err)
	}
	token, err := n.Tokens.CreateToken(ctx, "test-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	if err != nil {
		cancel()
		t.Fatalf("create token: %v", err)
	}
	tn := &Node{Node: n, URL: cfg.BaseURL.String(), Token: token, opts: opts, stop: cancel, stopped: make(chan error, 1)}
	go func() { tn.stopped <- n.Serve(ctx, l) }()
	t.Cleanup(tn.Stop)
	return tn
}

// Stop shuts the node down gracefully, as SIGTERM does, and closes its
// database. Stopping twice is harmless.
func (n *Node) Stop() {
	if n.stop == nil {
		return
	}
	n.stop()
	n.stop = nil
	if err := <-n.stopped; err != nil {
		n.Log.Error("node stopped with an error", "err", err)
	}
	n.Close()
}

// Restart starts a stopped node again on the same address and database.
func Restart(t testing.TB, n *Node) *Node {
	t.Helper()
	n.Stop()
	return StartNode(t, n.opts)
}

// Logger logs to the test's output when POLLEN_TEST_LOG is set, else
// nowhere.
func Logger(t testing.TB) *slog.Logger {
	if os.Getenv("POLLEN_TEST_LOG") == "" {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// Options returns the options the node was started with, its address and
// database filled in: change them and pass them to StartNode (after Stop)
// to bring the node back with another configuration.
func (n *Node) Options() Options { return n.opts }
