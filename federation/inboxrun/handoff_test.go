package inboxrun

import (
	"fmt"
	"testing"
)

func TestHandoff(t *testing.T) {
	h := NewHandoff[int](100)
	for i := range 10 {
		h.Put(fmt.Sprint("a", i), 10, i)
	}
	if v, ok := h.Take("a3"); !ok || v != 3 {
		t.Fatalf("Take(a3) = %d, %v", v, ok)
	}
	if _, ok := h.Take("a3"); ok {
		t.Fatal("a3 was taken twice")
	}
	// Over the budget: the oldest go first, taken or not.
	h.Put("b", 30, 100)
	for _, c := range []struct {
		iri  string
		want bool
	}{{"a0", false}, {"a1", false}, {"a2", false}, {"a4", true}, {"a9", true}, {"b", true}} {
		if _, ok := h.Take(c.iri); ok != c.want {
			t.Errorf("Take(%s) found %v, want %v", c.iri, ok, c.want)
		}
	}
	h.Put("huge", 101, 1)
	if _, ok := h.Take("huge"); ok {
		t.Error("a payload over the whole budget was kept")
	}
	if h.bytes > h.budget {
		t.Errorf("holds %d bytes, budget %d", h.bytes, h.budget)
	}
	// Many more than fit: the held bytes stay within the budget and the
	// queue does not grow without end.
	for i := range 10_000 {
		h.Put(fmt.Sprint("c", i), 7, i)
	}
	if h.bytes > h.budget || len(h.byIRI) > 100/7 || len(h.queue)-h.head > 100/7 || cap(h.queue) > 64 {
		t.Errorf("after 10,000: %d bytes, %d kept, queue %d of cap %d", h.bytes, len(h.byIRI), len(h.queue)-h.head, cap(h.queue))
	}
	if v, ok := h.Take("c9999"); !ok || v != 9999 {
		t.Errorf("the newest is not kept: %d, %v", v, ok)
	}
}
