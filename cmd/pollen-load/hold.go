package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pollen-coop/pollen/federation/httpsig"
)

// holdBodySize is the Content-Length each held POST announces, as in the
// attack it measures.
const holdBodySize = 999_000

// holdCase is one way of holding inbox bodies open.
type holdCase struct {
	name   string
	signed bool     // a replayed signed activity, else unsigned bytes
	env    []string // the node's extra settings
	// spread gives each connection an X-Forwarded-For of its own, as if
	// through a trusted proxy from as many addresses.
	spread bool
}

// measureHold opens o.hold connections to a fresh node's shared inbox,
// each sending a POST that announces a 999,000-byte body and holding its
// last byte back, for o.holdFor; it samples the node's RSS meanwhile and
// reports the peak and what the connections were answered. It runs once
// unsigned with the default settings, once unsigned with no limit on
// connections per address (all connections come from 127.0.0.1), and once
// with one signed activity replayed on every connection, so that each
// passes the checks before the body.
func measureHold(ctx context.Context, o options, bin string, db *database, out io.Writer) error {
	cases := []holdCase{
		{name: "unsigned, default limits"},
		{name: "unsigned, no per-address limit", env: []string{"POLLEN_MAX_CONNECTIONS_PER_ADDRESS=0"}},
		{name: "signed replay, no per-address limit", signed: true, env: []string{"POLLEN_MAX_CONNECTIONS_PER_ADDRESS=0"}},
		{name: "signed replay from as many addresses through a trusted proxy", signed: true, spread: true,
			env: []string{"POLLEN_TRUSTED_PROXIES=127.0.0.1/32"}},
	}
	for _, c := range cases {
		if err := db.reset(ctx); err != nil {
			return err
		}
		n, _, err := spawn(ctx, bin, db, c.env...)
		if err != nil {
			return err
		}
		err = holdOnce(ctx, o, n, c, out)
		n.stop()
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
	}
	return nil
}

func holdOnce(ctx context.Context, o options, n *node, c holdCase, out io.Writer) error {
	u, err := url.Parse(n.url)
	if err != nil {
		return err
	}
	head, body, closePeer, err := holdRequest(n, c.signed)
	if err != nil {
		return err
	}
	defer closePeer()
	idle, err := rssMB(n.pid)
	if err != nil {
		return err
	}
	hctx, cancel := context.WithTimeout(ctx, o.holdFor)
	defer cancel()
	var (
		mu       sync.Mutex
		outcomes = map[string]int{}
		wg       sync.WaitGroup
	)
	note := func(s string) { mu.Lock(); outcomes[s]++; mu.Unlock() }
	dial := make(chan struct{}, 64) // dials in flight
	for i := range o.hold {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dial <- struct{}{}
			conn, err := (&net.Dialer{Timeout: 10 * time.Second}).DialContext(hctx, "tcp", u.Host)
			<-dial
			if err != nil {
				note("dial failed")
				return
			}
			go func() { <-hctx.Done(); conn.Close() }()
			go func() {
				var xff string
				if c.spread {
					xff = fmt.Sprintf("X-Forwarded-For: 198.18.%d.%d\r\n", i/250, i%250+1)
				}
				if _, err := io.WriteString(conn, head+xff+"\r\n"); err == nil {
					_, _ = conn.Write(body[:len(body)-1])
				}
			}()
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			switch {
			case err == nil:
				resp.Body.Close()
				note(fmt.Sprintf("answered %d", resp.StatusCode))
			case hctx.Err() != nil:
				note("held to the end")
			default:
				note("closed by the node")
			}
		}()
	}
	peak := idle
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
sample:
	for {
		select {
		case <-hctx.Done():
			break sample
		case <-tick.C:
			if mb, err := rssMB(n.pid); err == nil && mb > peak {
				peak = mb
			}
		}
	}
	wg.Wait()
	var parts []string
	for k, v := range outcomes {
		parts = append(parts, fmt.Sprintf("%d %s", v, k))
	}
	sort.Strings(parts)
	fmt.Fprintf(out, "held inbox bodies:  %s: %d connections held %s: RSS idle %.1f MB, peak %.1f MB (%s)\n",
		c.name, o.hold, o.holdFor, idle, peak, strings.Join(parts, ", "))
	return nil
}

// holdRequest is one POST to the node's shared inbox with a body of
// holdBodySize: unsigned filler, or one Create signed by a fake peer for
// this node and padded to the size. head is its request line and headers
// without the blank line that ends them. The fake peer, which serves the
// signer's key, stays up until closePeer.
func holdRequest(n *node, signed bool) (head string, body []byte, closePeer func(), err error) {
	body = bytes.Repeat([]byte("a"), holdBodySize)
	header := http.Header{"Content-Type": {"application/activity+json"}}
	closePeer = func() {}
	if signed {
		p, err := newFakePeer()
		if err != nil {
			return "", nil, nil, err
		}
		closePeer = p.close
		sp, err := p.create(n.url+"/inbox", 0, 0, time.Now())
		if err != nil {
			return "", nil, closePeer, err
		}
		var act map[string]any
		if err := json.Unmarshal(sp.body, &act); err != nil {
			return "", nil, closePeer, err
		}
		act["summary"] = ""
		b, _ := json.Marshal(act)
		act["summary"] = strings.Repeat(" ", holdBodySize-len(b))
		body, _ = json.Marshal(act)
		req, err := http.NewRequest(http.MethodPost, n.url+"/inbox", bytes.NewReader(body))
		if err != nil {
			return "", nil, closePeer, err
		}
		req.Header = header
		if err := httpsig.Sign(req, httpsig.Key{KeyID: p.actorIRI(0) + "#main-key", Key: p.key}, body, time.Now()); err != nil {
			return "", nil, closePeer, err
		}
	}
	u, _ := url.Parse(n.url)
	var b bytes.Buffer
	fmt.Fprintf(&b, "POST /inbox HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", u.Host, len(body))
	_ = header.Write(&b)
	return b.String(), body, closePeer, nil
}
