package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pollen-coop/pollen/cmd/pollen-load/corpus"
	"github.com/pollen-coop/pollen/models"
)

// searchQueries is how many different searches the search phase asks
// for, in turn.
const searchQueries = 2000

// searchTarget is a search the phase measures: a name and the URL of
// its query i.
type searchTarget struct {
	name   string
	url    func(i int) string
	accept string
}

// measureSearch fills the node's database with the corpus of o (unless
// a kept one holds it already), then loads the feed search of the JSON
// API and the /feed page, each over searchQueries different searches
// drawn from the corpus (two of a case study's rare words and its region
// and service area as filters, so that each finds something), on
// o.searchConns connections; it prints the percentiles, the sizes of the
// database and of its search index, and the node's peak RSS.
func measureSearch(ctx context.Context, o options, n *node, out io.Writer) error {
	if n.dsn == "" || n.pid == 0 {
		return errors.New("the search phase needs a node this command started (it fills its database)")
	}
	store, err := models.Open(ctx, n.dsn)
	if err != nil {
		return err
	}
	t0 := time.Now()
	seeded, err := seedSearch(ctx, o, store, os.Stderr)
	store.Close()
	if err != nil {
		return err
	}
	if seeded {
		fmt.Fprintf(out, "search corpus:      %d case studies from %d organisations, stored in %s\n",
			o.caseStudies, o.organisations, time.Since(t0).Round(time.Second))
	} else {
		fmt.Fprintf(out, "search corpus:      %d case studies from %d organisations, kept from an earlier run\n", o.caseStudies, o.organisations)
	}
	qs := searchSpecs(o, searchQueries)
	if err := checkRareWords(ctx, n, qs[:50], o.caseStudies, out); err != nil {
		return err
	}
	var peak atomic.Int64
	stop := sampleRSS(n.pid, &peak)
	defer stop()
	for _, t := range []searchTarget{
		{"api, two words", func(i int) string { return n.url + "/api/v1/feed?" + qs[i%len(qs)].values(2).Encode() }, "application/json"},
		{"page, two words", func(i int) string { return n.url + "/feed?" + qs[i%len(qs)].values(2).Encode() }, "text/html"},
		{"api, one word", func(i int) string { return n.url + "/api/v1/feed?" + qs[i%len(qs)].values(1).Encode() }, "application/json"},
		{"page, one word", func(i int) string { return n.url + "/feed?" + qs[i%len(qs)].values(1).Encode() }, "text/html"},
		// A hub's home: every case study, the counts kept as they are written.
		{"page, no words", func(int) string { return n.url + "/feed" }, "text/html"},
		{"api, no words", func(int) string { return n.url + "/api/v1/feed" }, "application/json"},
	} {
		if err := measureSearchTarget(ctx, o, n, t, out); err != nil {
			return err
		}
	}
	stop()
	fmt.Fprintf(out, "search rss:         %.1f MB at most during the searches\n", float64(peak.Load())/(1<<20))
	return printSizes(ctx, n, out)
}

// measureSearchTarget loads t, its queries in turn, and prints the
// latency percentiles and the node's CPU a request.
func measureSearchTarget(ctx context.Context, o options, n *node, t searchTarget, out io.Writer) error {
	var next atomic.Int64
	header := http.Header{"Accept": {t.accept}}
	// A few requests first, not measured: the connections opened.
	if _, err := getLoadEach(ctx, func() string { return t.url(int(next.Add(1))) }, header, o.searchConns, o.duration, 4*o.searchConns); err != nil {
		return fmt.Errorf("%s: %w", t.name, err)
	}
	c0, _ := processCPU(n.pid)
	r, err := searchLoad(ctx, func() string { return t.url(int(next.Add(1))) }, header, o.searchConns, o.duration)
	if err != nil {
		return fmt.Errorf("%s: %w", t.name, err)
	}
	cpu := ""
	if c1, err := processCPU(n.pid); err == nil && r.ok > 0 {
		cpu = fmt.Sprintf("; node CPU %s a request", ((c1 - c0) / time.Duration(r.ok)).Round(10*time.Microsecond))
	}
	ms := func(p float64) string { return r.percentile(p).Round(100 * time.Microsecond).String() }
	fmt.Fprintf(out, "%-19s p50 %s, p95 %s, p99 %s; %.0f req/s (%d requests on %d connections, %d failed)%s\n", t.name+":",
		ms(0.50), ms(0.95), ms(0.99), r.rate(), r.ok, o.searchConns, r.failed, cpu)
	return nil
}

// searchSpec is a search drawn from a case study of the corpus: two of
// its rare words, its region and its service area.
type searchSpec struct {
	words               [2]string
	region, serviceArea string
}

// values are the URL parameters of s with its first words words.
func (s searchSpec) values(words int) url.Values {
	return url.Values{"q": {strings.Join(s.words[:words], " ")}, "region": {s.region}, "service_area": {s.serviceArea}}
}

// searchSpecs are count searches drawn from case studies of o's corpus
// picked at random (seeded: the same every run).
func searchSpecs(o options, count int) []searchSpec {
	r := rand.New(rand.NewPCG(corpus.Seed, 7))
	out := make([]searchSpec, count)
	for i := range out {
		j := r.IntN(o.caseStudies)
		c, topics := corpus.CaseStudy(j, corpus.OrganisationAt(corpus.Author(j, o.organisations)), 0)
		a, b := r.IntN(corpus.Topics), r.IntN(corpus.Topics-1)
		if b >= a {
			b++
		}
		out[i] = searchSpec{words: [2]string{topics[a], topics[b]}, region: c.Region, serviceArea: c.ServiceArea}
	}
	return out
}

// checkRareWords asks the node how many case studies each word of qs
// finds, prints the most, and refuses words found in more than 1%.
func checkRareWords(ctx context.Context, n *node, qs []searchSpec, total int, out io.Writer) error {
	most, word := int64(0), ""
	for _, q := range qs {
		for _, w := range q.words {
			found, err := feedTotal(ctx, n.url+"/api/v1/feed?limit=1&q="+url.QueryEscape(w))
			if err != nil {
				return err
			}
			if found > most {
				most, word = found, w
			}
		}
	}
	fmt.Fprintf(out, "search words:       each finds at most %d case studies (%.2f%%, %q)\n", most, 100*float64(most)/float64(total), word)
	if most*100 > int64(total) {
		return fmt.Errorf("%q finds %d case studies, more than 1%%", word, most)
	}
	return nil
}

// sampleRSS records the peak RSS of pid in peak every 100 ms until the
// function it returns is called.
func sampleRSS(pid int, peak *atomic.Int64) func() {
	done := make(chan struct{})
	var once sync.Once
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if mb, err := rssMB(pid); err == nil && int64(mb*(1<<20)) > peak.Load() {
				peak.Store(int64(mb * (1 << 20)))
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { once.Do(func() { close(done) }) }
}

// searchLoad is getLoadEach keeping every latency, not a sample.
func searchLoad(ctx context.Context, next func() string, header http.Header, conns int, d time.Duration) (getResult, error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}, Timeout: 30 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		res getResult
		mu  sync.Mutex
		wg  sync.WaitGroup
	)
	start := time.Now()
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, next(), nil)
				req.Header = header.Clone()
				resp, err := client.Do(req)
				ok := err == nil && resp.StatusCode == http.StatusOK
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				lat := time.Since(t0)
				mu.Lock()
				switch {
				case ok:
					res.ok++
					res.latencies = append(res.latencies, lat)
				case ctx.Err() == nil:
					res.failed++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	sort.Slice(res.latencies, func(i, j int) bool { return res.latencies[i] < res.latencies[j] })
	if res.ok == 0 {
		return res, fmt.Errorf("no search succeeded (%d failed)", res.failed)
	}
	return res, nil
}
