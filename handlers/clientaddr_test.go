package handlers_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/testrig"
)

// logLines keeps a node's JSON log lines.
type logLines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// request returns the log line of the request with the given id.
func (l *logLines) request(t *testing.T, id string) map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range strings.Split(l.buf.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "request" && m["id"] == id {
			return m
		}
	}
	t.Fatalf("no log line for request %q", id)
	return nil
}

func loggedNode(t *testing.T, proxies ...string) (*testrig.Node, *logLines) {
	t.Helper()
	logs := &logLines{}
	n := testrig.StartNode(t, testrig.Options{
		Log: slog.New(slog.NewJSONHandler(logs, nil)),
		Configure: func(c *config.Config) {
			for _, p := range proxies {
				c.TrustedProxies = append(c.TrustedProxies, netip.MustParsePrefix(p))
			}
		},
	})
	return n, logs
}

// TestRequestIDsAndForwardedAddresses: a client cannot choose the request
// id or the address written in the log; a configured proxy can.
func TestRequestIDsAndForwardedAddresses(t *testing.T) {
	long := strings.Repeat("A", 60_000)
	cases := []struct {
		name    string
		proxies []string
		header  map[string]string
		keepID  bool
		wantIP  string
	}{
		{name: "untrusted peer, 60 KB id", header: map[string]string{"X-Request-Id": long}, wantIP: "127.0.0.1"},
		{name: "untrusted peer, plain id", header: map[string]string{"X-Request-Id": "abc-123", "X-Forwarded-For": "203.0.113.9"}, wantIP: "127.0.0.1"},
		{name: "untrusted peer, X-Real-IP", header: map[string]string{"X-Real-Ip": "203.0.113.9"}, wantIP: "127.0.0.1"},
		{name: "proxies configured, peer not one", proxies: []string{"10.0.0.0/8"}, header: map[string]string{"X-Request-Id": "abc-123", "X-Forwarded-For": "203.0.113.9"}, wantIP: "127.0.0.1"},
		{name: "trusted proxy", proxies: []string{"127.0.0.1/32"}, header: map[string]string{"X-Request-Id": "abc-123.x_y", "X-Forwarded-For": "203.0.113.9"}, keepID: true, wantIP: "203.0.113.9"},
		{name: "trusted proxy, client forges the left of the chain", proxies: []string{"127.0.0.0/8"}, header: map[string]string{"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}, wantIP: "203.0.113.9"},
		{name: "trusted proxy, id too long", proxies: []string{"127.0.0.1/32"}, header: map[string]string{"X-Request-Id": strings.Repeat("a", 65)}, wantIP: "127.0.0.1"},
		{name: "trusted proxy, id with spaces and quotes", proxies: []string{"127.0.0.1/32"}, header: map[string]string{"X-Request-Id": `a" b=c`}, wantIP: "127.0.0.1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n, logs := loggedNode(t, tc.proxies...)
			r := testrig.Do(t, http.MethodGet, n.URL+"/healthz", nil, tc.header)
			id := r.Header.Get("X-Request-Id")
			sent := tc.header["X-Request-Id"]
			switch {
			case tc.keepID && id != sent:
				t.Errorf("X-Request-Id %q, want the proxy's %q", id, sent)
			case !tc.keepID && (id == sent || len(id) > 64 || id == ""):
				t.Errorf("X-Request-Id %.80q, want one made by the node", id)
			}
			line := logs.request(t, id)
			if line["remote"] != tc.wantIP {
				t.Errorf("logged remote %v, want %s", line["remote"], tc.wantIP)
			}
		})
	}
}
