package node_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/testrig"
)

// TestConnectionsPerAddress: one address holds at most its share of
// connections; one more is closed at once, and when one of the held ones
// closes a new one is served. A trusted proxy is not limited.
func TestConnectionsPerAddress(t *testing.T) {
	for _, trusted := range []bool{false, true} {
		t.Run(fmt.Sprintf("trusted=%v", trusted), func(t *testing.T) {
			n := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) {
				c.MaxConnsPerAddress = 3
				if trusted {
					c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
				}
			}})
			get := func(conn net.Conn) error {
				_ = conn.SetDeadline(time.Now().Add(time.Minute)) // only against a hang
				if _, err := fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", n.Config.Host()); err != nil {
					return err
				}
				resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
				if err != nil {
					return err
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					return fmt.Errorf("status %d", resp.StatusCode)
				}
				return nil
			}
			var held []net.Conn
			for i := 0; i < 3; i++ {
				conn, err := net.Dial("tcp", n.Config.Host())
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				if err := get(conn); err != nil {
					t.Fatalf("connection %d: %v", i+1, err)
				}
				held = append(held, conn)
			}
			extra, err := net.Dial("tcp", n.Config.Host())
			if err != nil {
				t.Fatal(err)
			}
			defer extra.Close()
			err = get(extra)
			switch {
			case trusted && err != nil:
				t.Errorf("a fourth connection from a trusted proxy: %v", err)
			case !trusted && err == nil:
				t.Error("a fourth connection from one address was served")
			}
			held[0].Close()
			testrig.Eventually(t, "a connection is served once one closes", func() bool {
				conn, err := net.Dial("tcp", n.Config.Host())
				if err != nil {
					return false
				}
				defer conn.Close()
				return get(conn) == nil
			})
		})
	}
}
