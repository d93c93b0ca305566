package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/config"
)

// idlePage is a page the idle phase asks for before leaving the node
// quiet: a visitor's first look, and a remote server's look at the actor.
type idlePage struct{ path, accept string }

var idlePages = []idlePage{
	{"/feed", "text/html"},
	{"/", "text/html"},
	{"/actors/" + config.Default().Handle, "text/html"},
	{"/actors/" + config.Default().Handle, acceptAS},
}

// measureIdle reads the RSS of a node at rest on the database as it is:
// the phase does not empty it, so that a corpus kept with --data (and
// --schema) is measured as stored. It starts the node once and stops it
// (migrations, keys), starts it again, asks for each of idlePages three
// times, and then leaves it quiet for o.quiet, reading its RSS after 2
// seconds, 10 seconds and o.quiet of quiet (those shorter than o.quiet).
func measureIdle(ctx context.Context, o options, bin string, db *database, out io.Writer) error {
	n, _, err := spawn(ctx, bin, db)
	if err != nil {
		return err
	}
	n.stop()
	if n, _, err = spawn(ctx, bin, db); err != nil {
		return err
	}
	defer n.stop()
	client := &http.Client{Timeout: 30 * time.Second}
	for range 3 {
		for _, p := range idlePages {
			if err := getOnce(ctx, client, n.url+p.path, p.accept); err != nil {
				return err
			}
		}
	}
	var marks []time.Duration
	for _, at := range []time.Duration{2 * time.Second, 10 * time.Second} {
		if at < o.quiet {
			marks = append(marks, at)
		}
	}
	start := time.Now()
	var parts []string
	for _, at := range append(marks, o.quiet) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Until(start.Add(at))):
		}
		mb, err := rssMB(n.pid)
		if err != nil {
			return err
		}
		parts = append(parts, fmt.Sprintf("%.1f MB after %s", mb, at))
	}
	fmt.Fprintf(out, "idle RSS, served:   %s quiet (after %d pages)\n", strings.Join(parts, ", "), 3*len(idlePages))
	return nil
}

// getOnce GETs url with the Accept header accept and wants a 200.
func getOnce(ctx context.Context, client *http.Client, url, accept string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", accept)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %d", url, resp.StatusCode)
	}
	return nil
}
