package doccache

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"
)

func doc(body string) Document {
	return Document{Body: []byte(body), ETag: `"` + body + `"`}
}

func TestDocCache(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 500_000_000, time.UTC)
	c := New()
	_, ok, gen := c.get("a", t0)
	if ok {
		t.Fatal("an empty cache had a")
	}
	first := c.put("a", gen, t0, doc("one"))
	if !first.Modified.Equal(t0.Truncate(time.Second)) {
		t.Errorf("Modified %v", first.Modified)
	}
	if d, ok, _ := c.get("a", t0.Add(MaxAge-time.Millisecond)); !ok || string(d.Body) != "one" {
		t.Fatalf("a fresh entry: %v %q", ok, d.Body)
	}

	// Older than the max age: rebuilt; the same body keeps its date.
	later := t0.Add(MaxAge)
	_, ok, gen = c.get("a", later)
	if ok {
		t.Fatal("an entry older than the max age was served")
	}
	if d := c.put("a", gen, later, doc("one")); !d.Modified.Equal(first.Modified) {
		t.Errorf("same body rebuilt: Modified %v, want %v", d.Modified, first.Modified)
	}

	// A change: stale at once; a changed body built in the same second
	// gets a later date.
	c.Changed()
	_, ok, gen = c.get("a", later)
	if ok {
		t.Fatal("an entry was served after a change")
	}
	if d := c.put("a", gen, later, doc("two")); !d.Modified.After(first.Modified) {
		t.Errorf("changed body: Modified %v, not after %v", d.Modified, first.Modified)
	}

	// A build that started before a change is returned but not kept.
	_, _, gen = c.get("b", later)
	c.Changed()
	if d := c.put("b", gen, later, doc("old")); string(d.Body) != "old" {
		t.Errorf("put returned %q", d.Body)
	}
	if _, ok, _ := c.get("b", later); ok {
		t.Error("a build from before a change was kept")
	}
}

func TestDocCacheBounds(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	c := New()
	for i := range maxEntries + 10 {
		c.put(fmt.Sprint(i), 0, now, doc(fmt.Sprint(i)))
	}
	if c.lru.Len() != maxEntries {
		t.Errorf("%d entries, want at most %d", c.lru.Len(), maxEntries)
	}
	if _, ok, _ := c.get("0", now); ok {
		t.Error("the least recently used entry stayed")
	}
	if _, ok, _ := c.get(fmt.Sprint(maxEntries+9), now); !ok {
		t.Error("the newest entry went")
	}

	c = New()
	big := bytes.Repeat([]byte("x"), maxBytes/8)
	for i := range 20 {
		c.put(fmt.Sprint(i), 0, now, Document{Body: big, ETag: fmt.Sprint(i)})
	}
	if c.bytes > maxBytes || c.lru.Len() != 8 {
		t.Errorf("%d bytes in %d entries, want at most %d", c.bytes, c.lru.Len(), maxBytes)
	}
	// A document larger than an eighth of the cache is served, not kept.
	huge := Document{Body: append(big, 'x'), ETag: "huge"}
	if d := c.put("huge", 0, now, huge); len(d.Body) != len(huge.Body) {
		t.Error("the huge document was not returned")
	}
	if _, ok, _ := c.get("huge", now); ok {
		t.Error("a huge document was kept")
	}
}

// TestDocCacheChanges: a cache WithChanges serves an entry while the
// counter stays, rebuilds it once the counter moves, and stores no build
// that began before a move; WithMaxAge bounds an entry's life; ServeBody
// keeps the Link header with the body.
func TestDocCacheChanges(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	var count uint64
	c := New(WithChanges(func() uint64 { return count }), WithMaxAge(2*time.Second))
	builds := 0
	build := func(body string) func(context.Context) ([]byte, string, error) {
		return func(context.Context) ([]byte, string, error) {
			builds++
			return []byte(body), "<next>", nil
		}
	}
	for _, step := range []struct {
		name       string
		at         time.Duration
		before     func()
		body, want string
		builds     int
	}{
		{"the first read builds", 0, nil, "one", "one", 1},
		{"the next is served", time.Second, nil, "two", "one", 1},
		{"a change rebuilds", time.Second, func() { count++ }, "three", "three", 2},
		{"past the max age rebuilds", 3500 * time.Millisecond, nil, "four", "four", 3},
	} {
		if step.before != nil {
			step.before()
		}
		d, err := c.ServeBody(context.Background(), "page", t0.Add(step.at), build(step.body))
		if err != nil {
			t.Fatal(err)
		}
		if string(d.Body) != step.want || d.Link != "<next>" || builds != step.builds {
			t.Errorf("%s: body %q link %q after %d builds; want %q after %d", step.name, d.Body, d.Link, builds, step.want, step.builds)
		}
	}
	// A build during which a change commits is answered, not kept.
	_, err := c.ServeBody(context.Background(), "racy", t0, func(context.Context) ([]byte, string, error) {
		count++
		return []byte("stale"), "", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := c.get("racy", t0); ok {
		t.Error("a build that a change overtook was kept")
	}
}
