package testrig

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
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
}

// Node is a running test node.
type Node struct {
	*node.Node
	// URL is its base URL, http://127.0.0.1:PORT.
	URL string
	// Token is an admin API token.
	Token string
}

// StartNode starts a node listening on 127.0.0.1 on a free port, with its
// base URL set to match and an admin token made. It stops when the test
// ends.
func StartNode(t testing.TB, opts Options) *Node {
	t.Helper()
	if opts.DB.DSN == "" {
		opts.DB = SQLite(t)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
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
	n, err := node.Open(ctx, cfg, Logger(t))
	if err != nil {
		cancel()
		t.Fatalf("open node: %v", err)
	}
	token, err := n.Service.CreateToken(ctx, "test")
	if err != nil {
		cancel()
		t.Fatalf("create token: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- n.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("node stopped with: %v", err)
		}
		n.Close()
	})
	return &Node{Node: n, URL: cfg.BaseURL.String(), Token: token}
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
