package hubsim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// Actor is the part of one of the hub's actors' documents the peers use.
type Actor struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Inbox string `json:"inbox"`
}

// FetchActor GETs the ActivityStreams document of the actor at url.
func FetchActor(ctx context.Context, url string) (Actor, error) {
	var a Actor
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return a, err
	}
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return a, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return a, fmt.Errorf("GET %s: %d %s", url, resp.StatusCode, data)
	}
	if err := json.Unmarshal(data, &a); err != nil || a.ID == "" || a.Inbox == "" {
		return a, fmt.Errorf("GET %s: no id or inbox in %s", url, data)
	}
	return a, nil
}

// Parallel runs fn(0) to fn(count-1) on workers goroutines and returns
// the first error, after which it starts no more.
func Parallel(ctx context.Context, workers, count int, fn func(i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					errs <- err
					cancel()
					return
				}
			}
		}()
	}
feed:
	for i := 0; i < count; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	return context.Cause(ctx)
}

// APIFollow makes the node at base follow the actor iri through its API
// (POST /api/v1/follows, with the admin token), as its operator would.
func APIFollow(ctx context.Context, base, token, iri string) error {
	body, _ := json.Marshal(map[string]string{"target": iri})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/follows", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("POST /api/v1/follows %s: %d %s", iri, resp.StatusCode, data)
	}
	return nil
}
