package fetch

import (
	"sync"

	"github.com/pollen-coop/pollen/models"
)

// flights makes concurrent fetches of one key into one. The zero value is
// ready to use.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done chan struct{}
	a    models.Actor
	err  error
}

// do runs fn for key unless a run for key is in flight, and then waits for
// that run's result instead.
func (f *flights) do(key string, fn func() (models.Actor, error)) (models.Actor, error) {
	f.mu.Lock()
	if c, ok := f.m[key]; ok {
		f.mu.Unlock()
		<-c.done
		return c.a, c.err
	}
	if f.m == nil {
		f.m = map[string]*flight{}
	}
	c := &flight{done: make(chan struct{})}
	f.m[key] = c
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.m, key)
		f.mu.Unlock()
		close(c.done)
	}()
	c.a, c.err = fn()
	return c.a, c.err
}
