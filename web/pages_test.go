package web

import (
	"io"
	"sync"
	"testing"
)

// TestEveryPageParses builds every page's template set, as a node would
// on each page's first use.
func TestEveryPageParses(t *testing.T) {
	p, err := NewPages()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestPagesParseOnce checks that the layout and partials are parsed once
// and each page once, on its first use, however many times and from how
// many goroutines it is rendered: a node holds one template set a page
// it serves, not one a page of every surface.
func TestPagesParseOnce(t *testing.T) {
	p, err := NewPages()
	if err != nil {
		t.Fatal(err)
	}
	if got := p.parses.Load(); got != 1 {
		t.Fatalf("after NewPages: %d parses, want 1 (the layout and partials)", got)
	}
	data := map[string]any{"Status": 404, "Title": "Not Found", "Message": "no such page"}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				if err := p.Render(io.Discard, "error.html", data); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if got := p.parses.Load(); got != 2 {
		t.Errorf("after rendering error.html 24 times: %d parses, want 2", got)
	}
	if err := p.Fragment(io.Discard, "errorsummary", map[string]any{}); err != nil {
		t.Error(err)
	}
	if err := p.Render(io.Discard, "signout.html", map[string]any{}); err != nil {
		t.Error(err)
	}
	if got := p.parses.Load(); got != 3 {
		t.Errorf("after a fragment and a second page: %d parses, want 3", got)
	}
	if err := p.Render(io.Discard, "nosuch.html", nil); err == nil {
		t.Error("an unknown page rendered")
	}
}
