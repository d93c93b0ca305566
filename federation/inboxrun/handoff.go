package inboxrun

import "sync"

// Handoff keeps what the receiving side worked out about the activities it
// stored lately (the parsed activity), by the activity's IRI, so that the
// processor of the same process takes it instead of working it out again
// from the stored payload. It holds at most a budget of payload bytes,
// the oldest dropped first; an activity it does not hold (processed after
// a restart, by another process, or after a long backlog) is worked out
// from its payload as before. Safe for concurrent use.
type Handoff[T any] struct {
	mu     sync.Mutex
	budget int
	bytes  int
	byIRI  map[string]T
	queue  []handed // oldest first, from head
	head   int
}

type handed struct {
	iri  string
	size int
}

// NewHandoff returns a Handoff holding at most budget bytes of payloads.
func NewHandoff[T any](budget int) *Handoff[T] {
	return &Handoff[T]{budget: budget, byIRI: map[string]T{}}
}

// Put keeps v for the activity iri, whose payload is size bytes long.
func (h *Handoff[T]) Put(iri string, size int, v T) {
	if size > h.budget {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.byIRI[iri]; ok {
		return
	}
	for h.bytes+size > h.budget {
		h.dropOldest()
	}
	h.byIRI[iri] = v
	h.queue = append(h.queue, handed{iri: iri, size: size})
	h.bytes += size
}

// dropOldest forgets the oldest entry, taken or not.
func (h *Handoff[T]) dropOldest() {
	e := h.queue[h.head]
	h.queue[h.head] = handed{}
	h.head++
	h.bytes -= e.size
	delete(h.byIRI, e.iri)
	if h.head > len(h.queue)/2 {
		h.queue = append(h.queue[:0], h.queue[h.head:]...)
		h.head = 0
	}
}

// Take returns what was kept for the activity iri, and forgets it.
func (h *Handoff[T]) Take(iri string) (T, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.byIRI[iri]
	if ok {
		delete(h.byIRI, iri)
	}
	return v, ok
}
