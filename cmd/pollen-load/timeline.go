package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// The history the timeline phase fills the database with.
const (
	timelineAccounts = 500
	timelineStatuses = 100_000
)

// measureTimelines fills the node's database with 100,000 case studies
// and notes by 500 followed accounts (straight through the store, in one
// transaction), then loads the home and public timelines, 40 statuses a
// page: the first page and a max_id page nine tenths down the history
// (served from the page cache after the first request), and a page below
// a status picked at random for every request (built every time), each
// three runs.
func measureTimelines(ctx context.Context, o options, n *node, out io.Writer) error {
	if n.dsn == "" || n.token == "" {
		return errors.New("the timeline phase needs a node this command started (it fills its database)")
	}
	store, err := models.Open(ctx, n.dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	t0 := time.Now()
	ids, err := seedTimeline(ctx, store)
	if err != nil {
		return err
	}
	deep := ids[len(ids)*9/10]
	// anyPage is a page below a status picked at random: nearly every one
	// another page, which no cache holds.
	var rnd atomic.Uint64
	anyPage := func(path string) func() string {
		return func() string {
			i := rnd.Add(0x9E3779B97F4A7C15) % uint64(len(ids))
			return n.url + path + "&max_id=" + ids[i]
		}
	}
	fmt.Fprintf(out, "timeline history:   %d statuses by %d followed accounts, stored in %s\n",
		timelineStatuses, timelineAccounts, time.Since(t0).Round(time.Millisecond))
	auth := http.Header{"Authorization": {"Bearer " + n.token}}
	fixed := func(path string) func() string { return func() string { return n.url + path } }
	for _, target := range []struct {
		name   string
		next   func() string
		header http.Header
	}{
		{"home first page", fixed("/api/v1/timelines/home?limit=40"), auth},
		{"home deep page", fixed("/api/v1/timelines/home?limit=40&max_id=" + deep), auth},
		{"home, any page", anyPage("/api/v1/timelines/home?limit=40"), auth},
		{"public first page", fixed("/api/v1/timelines/public?limit=40"), http.Header{}},
		{"public deep page", fixed("/api/v1/timelines/public?limit=40&max_id=" + deep), http.Header{}},
		{"public, any page", anyPage("/api/v1/timelines/public?limit=40"), http.Header{}},
	} {
		var runs []getResult
		var cpu []time.Duration
		for range 3 {
			c0, _ := processCPU(n.pid)
			r, err := getLoadEach(ctx, target.next, target.header, o.connections, o.duration, o.requests)
			if err != nil {
				return err
			}
			if c1, err := processCPU(n.pid); err == nil && r.ok > 0 {
				cpu = append(cpu, (c1-c0)/time.Duration(r.ok))
			}
			runs = append(runs, r)
		}
		sort.Slice(runs, func(i, j int) bool { return runs[i].rate() < runs[j].rate() })
		fmt.Fprintf(out, "%-19s %.0f–%.0f req/s, p99 %s–%s (%d connections, 3 runs of %s; %d failed)%s\n", target.name+":",
			runs[0].rate(), runs[2].rate(), minP99(runs).Round(time.Microsecond), maxP99(runs).Round(time.Microsecond),
			o.connections, runs[0].elapsed.Round(time.Millisecond), runs[0].failed+runs[1].failed+runs[2].failed, cpuRange(cpu))
	}
	return nil
}

// processCPU is the CPU time (user and system) the process pid has used,
// from /proc (Linux; clock ticks of 10 ms, the kernel's USER_HZ).
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The fields after the command name, which is in parentheses and may
	// hold spaces: state is the 3rd field, utime the 14th, stime the 15th.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

// cpuRange is the node's CPU time per request over the runs, lowest to
// highest, or "" when it could not be read.
func cpuRange(cpu []time.Duration) string {
	if len(cpu) == 0 {
		return ""
	}
	lo, hi := cpu[0], cpu[0]
	for _, c := range cpu[1:] {
		lo, hi = min(lo, c), max(hi, c)
	}
	return fmt.Sprintf("; node CPU %s–%s a request", lo.Round(10*time.Microsecond), hi.Round(10*time.Microsecond))
}

func minP99(runs []getResult) time.Duration {
	m := runs[0].percentile(0.99)
	for _, r := range runs[1:] {
		m = min(m, r.percentile(0.99))
	}
	return m
}

func maxP99(runs []getResult) time.Duration {
	m := runs[0].percentile(0.99)
	for _, r := range runs[1:] {
		m = max(m, r.percentile(0.99))
	}
	return m
}

// seedTimeline stores the followed accounts, the node's accepted follows
// of them, and the history: case studies and notes alternately, one every
// ten minutes back from 1 January 2025, every tenth the node's own. It
// returns the status ids of the case studies, newest first.
func seedTimeline(ctx context.Context, store *models.Store) ([]string, error) {
	locals, err := store.Actors.ListLocal(ctx)
	if err != nil || len(locals) == 0 {
		return nil, fmt.Errorf("the node's actor: %v", err)
	}
	org := locals[0]
	ids := make([]int64, timelineAccounts)
	for i := range ids {
		iri := fmt.Sprintf("https://peer%d.example/users/org", i)
		a := models.Actor{IRI: iri, Type: "Organization", Handle: "org", Host: fmt.Sprintf("peer%d.example", i),
			Name: fmt.Sprintf("Peer %d", i), Inbox: iri + "/inbox", KeyID: iri + "#main-key", PublicKeyPEM: "PUBLIC"}
		if err := store.Actors.UpsertRemote(ctx, &a); err != nil {
			return nil, err
		}
		f := models.Follow{ActivityID: iri + "/follows/load", ActorID: org.ID, TargetID: a.ID, Outbound: true, State: models.FollowAccepted}
		if err := store.Follows.Save(ctx, &f); err != nil {
			return nil, err
		}
		ids[i] = a.ID
	}
	b := timelineBatch(org.ID, ids)
	if err := store.CreateStatuses(ctx, b); err != nil {
		return nil, err
	}
	out := make([]string, len(b.CaseStudies))
	for i, c := range b.CaseStudies {
		out[i] = strconv.FormatInt(c.StatusID, 10)
	}
	return out, nil
}

// timelineBatch is the history, by the actors ids in turn and every
// tenth status by local.
func timelineBatch(local int64, ids []int64) models.StatusBatch {
	var b models.StatusBatch
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	areas := []string{"libraries", "leisure", "waste", "housing", "transport"}
	for i := range timelineStatuses {
		at := start.Add(-time.Duration(i) * 10 * time.Minute)
		author, isLocal := ids[i%len(ids)], i%10 == 0
		if isLocal {
			author = local
		}
		iri := fmt.Sprintf("https://load.example/statuses/%d", i)
		area := areas[i%len(areas)]
		if i%2 == 1 {
			b.Notes = append(b.Notes, models.Note{IRI: iri, ActorID: author, Local: isLocal, URL: iri, Visibility: models.VisibilityPublic,
				Content: fmt.Sprintf("<p>Note %d #%s</p>", i, area), Hashtags: models.StringList{area}, Published: at, Updated: at})
			continue
		}
		c := models.CaseStudy{IRI: iri, ActorID: author, Local: isLocal, URL: iri, Title: fmt.Sprintf("Case study %d", i),
			Summary: "What a council learnt.", ServiceArea: area, Tags: models.StringList{"mutuals"}, Published: at, Updated: at}
		if isLocal {
			slug := fmt.Sprintf("load-%d", i)
			c.Slug = &slug
		}
		b.CaseStudies = append(b.CaseStudies, c)
	}
	return b
}
