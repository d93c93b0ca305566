package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// feedTotal is the number of case studies GET /api/v1/feed finds: what a
// reader of the node sees.
func (n *node) feedTotal(ctx context.Context) (int64, error) {
	var page struct {
		Total int64 `json:"total"`
	}
	err := n.getJSON(ctx, "/api/v1/feed?limit=1", "", &page)
	return page.Total, err
}

// getJSON GETs path from the node, with a bearer token if one is given,
// and decodes the JSON answer into v.
func (n *node) getJSON(ctx context.Context, path, token string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, n.url+path, nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, data)
	}
	return json.Unmarshal(data, v)
}

// waitVisible polls count until it reaches want, and returns when it saw
// the last one arrive. It gives up, returning what it saw, once the count
// has not moved for stall.
func waitVisible(ctx context.Context, count func(context.Context) (int64, error), want int64, stall time.Duration) (int64, time.Time, error) {
	var seen int64 = -1
	var at time.Time
	moved := time.Now()
	for {
		total, err := count(ctx)
		if err != nil {
			return seen, at, err
		}
		now := time.Now()
		if total != seen {
			seen, at, moved = total, now, now
		}
		if seen >= want || now.Sub(moved) > stall {
			return seen, at, nil
		}
		select {
		case <-ctx.Done():
			return seen, at, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// homeCount walks the home timeline of the node's organisation (a user
// token) from the newest status and counts the statuses whose URI starts
// with prefix, stopping at the first page without one.
func (n *node) homeCount(ctx context.Context, prefix string) (int64, error) {
	if n.token == "" {
		return 0, errors.New("no token: the home timeline needs a node this command started")
	}
	var count int64
	maxID := ""
	for {
		path := "/api/v1/timelines/home?limit=40"
		if maxID != "" {
			path += "&max_id=" + url.QueryEscape(maxID)
		}
		var page []struct {
			ID  string `json:"id"`
			URI string `json:"uri"`
		}
		if err := n.getJSON(ctx, path, n.token, &page); err != nil {
			return count, err
		}
		found := false
		for _, s := range page {
			if strings.HasPrefix(s.URI, prefix) {
				count++
				found = true
			}
		}
		if len(page) == 0 || !found {
			return count, nil
		}
		maxID = page[len(page)-1].ID
	}
}

// cpuTime is the CPU (user and system) a process has used so far.
func cpuTime(pid int) (time.Duration, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The fields after the command's name, which may hold spaces.
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, errors.New("short /proc stat")
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	const ticks = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticks, nil
}

// machineBusy reads the machine's busy and total CPU time from
// /proc/stat, to say how busy all the cores were over a run.
func machineBusy() (busy, total int64) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	for i, f := range strings.Fields(line)[1:] {
		v, _ := strconv.ParseInt(f, 10, 64)
		total += v
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return busy, total
}
