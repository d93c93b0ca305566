package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// acceptAS is the Accept header of the ActivityStreams GETs.
const acceptAS = `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`

// getResult is one GET run.
type getResult struct {
	ok, failed int64
	elapsed    time.Duration
	latencies  []time.Duration // a sample
}

func (r getResult) rate() float64 { return float64(r.ok) / r.elapsed.Seconds() }

func (r getResult) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(len(r.latencies)-1, int(p*float64(len(r.latencies))))]
}

// measureGets runs GET load on the actor and on a case study's Article.
func measureGets(ctx context.Context, o options, n *node, out io.Writer) error {
	article, err := n.someCaseStudy(ctx)
	if err != nil {
		return err
	}
	actor, err := attributedTo(ctx, article)
	if err != nil {
		return err
	}
	for _, target := range []struct{ name, url string }{{"GET actor", actor}, {"GET Article", article}} {
		var runs []getResult
		for i := 0; i < 3; i++ {
			r, err := getLoad(ctx, target.url, o.connections, o.duration, o.requests)
			if err != nil {
				return err
			}
			runs = append(runs, r)
		}
		sort.Slice(runs, func(i, j int) bool { return runs[i].rate() > runs[j].rate() })
		best, med := runs[0], runs[len(runs)/2]
		fmt.Fprintf(out, "%-19s best %.0f req/s, median %.0f req/s (%d connections, 3 runs of %s; median run p50 %s, p99 %s; %d failed)\n",
			target.name+":", best.rate(), med.rate(), o.connections, med.elapsed.Round(time.Millisecond),
			med.percentile(0.5).Round(time.Microsecond), med.percentile(0.99).Round(time.Microsecond), med.failed)
	}
	return nil
}

// someCaseStudy publishes a case study (on a node this command started) or
// takes the newest one listed (on a node given by URL), and returns its IRI.
func (n *node) someCaseStudy(ctx context.Context) (string, error) {
	if n.token != "" {
		return n.publish(ctx, "A library kept open by its staff")
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, n.url+"/api/v1/case-studies", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var list struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || len(list.Items) == 0 {
		return "", errors.New("the node lists no case study to GET: publish one first")
	}
	return list.Items[0].ID, nil
}

func attributedTo(ctx context.Context, article string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, article, nil)
	req.Header.Set("Accept", acceptAS)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var a struct {
		AttributedTo string `json:"attributedTo"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || a.AttributedTo == "" {
		return "", fmt.Errorf("the Article %s names no attributedTo (%d)", article, resp.StatusCode)
	}
	return a.AttributedTo, nil
}

// getLoad GETs url (as ActivityStreams) on conns keep-alive connections for
// d, or until limit requests when limit is above 0.
func getLoad(ctx context.Context, url string, conns int, d time.Duration, limit int) (getResult, error) {
	return getLoadWith(ctx, url, http.Header{"Accept": {acceptAS}}, conns, d, limit)
}

// getLoadWith is getLoad with the request headers header.
func getLoadWith(ctx context.Context, url string, header http.Header, conns int, d time.Duration, limit int) (getResult, error) {
	return getLoadEach(ctx, func() string { return url }, header, conns, d, limit)
}

// getLoadEach is getLoadWith asking next for the URL of every request
// (all on the origin of the first).
func getLoadEach(ctx context.Context, next func() string, header http.Header, conns int, d time.Duration, limit int) (getResult, error) {
	url := next()
	if err := checkLoopback(url); err != nil {
		return getResult{}, err
	}
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		res    getResult
		issued atomic.Int64
		mu     sync.Mutex
		wg     sync.WaitGroup
	)
	start := time.Now()
	for c := 0; c < conns; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ok, failed int64
			var lat []time.Duration
			for ctx.Err() == nil && (limit == 0 || issued.Add(1) <= int64(limit)) {
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, next(), nil)
				req.Header = header.Clone()
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						failed++
					}
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failed++
					continue
				}
				ok++
				if ok%8 == 0 {
					lat = append(lat, time.Since(t0))
				}
			}
			mu.Lock()
			res.ok += ok
			res.failed += failed
			res.latencies = append(res.latencies, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	sort.Slice(res.latencies, func(i, j int) bool { return res.latencies[i] < res.latencies[j] })
	if res.ok == 0 {
		return res, fmt.Errorf("GET %s: no request succeeded (%d failed)", url, res.failed)
	}
	return res, nil
}
