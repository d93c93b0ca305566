// Package doccache keeps the documents a node serves that change rarely
// (its actor, a case study's Article or Tombstone) or are read far more
// often than they change (a page of a timeline), encoded, with an ETag
// and a Last-Modified date, within bounds of entries and bytes. A change
// made by this process invalidates them at once (Changed, or the change
// counter given WithChanges); one made by another process (the CLI's key
// rotation, a second server on the same PostgreSQL) shows after the
// cache's maximum age at most (MaxAge unless WithMaxAge).
package doccache

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"sync"
	"time"
)

// The bounds of the served documents' cache.
const (
	maxEntries = 1024
	maxBytes   = 8 << 20
	// MaxAge bounds how long a document changed by another process is
	// served from this one's cache, unless WithMaxAge says otherwise.
	MaxAge = 10 * time.Second
)

// Document is a document ready to serve: its JSON body, an ETag (a
// hash of the body, quoted), when the body last changed, and, for a
// deleted case study, Gone.
type Document struct {
	Body     []byte
	ETag     string
	Modified time.Time
	Gone     bool
	// Link is the Link header answered with the body, if any (a page's
	// neighbours).
	Link string
}

// Cache keeps the served documents that change rarely (the actor, a
// case study's Article or Tombstone), by key, least recently used first
// out. A change bumps the generation: an older entry is rebuilt on its
// next read, keeping its Modified time when its body is the same. A build
// that started before a change is not stored.
type Cache struct {
	mu      sync.Mutex
	gen     uint64
	bytes   int
	lru     *list.List // of *entry, most recent first
	entries map[string]*list.Element
	// changes is a counter of committed changes (WithChanges); maxAge
	// bounds an entry's life.
	changes func() uint64
	maxAge  time.Duration
}

type entry struct {
	key   string
	gen   uint64
	built time.Time
	doc   Document
}

// Option changes a Cache made by New.
type Option func(*Cache)

// WithChanges makes every document stale whenever count, a counter of
// the committed changes the documents are built from, moves on (as
// Changed does).
func WithChanges(count func() uint64) Option { return func(c *Cache) { c.changes = count } }

// WithMaxAge sets how long an entry is served at most (MaxAge by
// default): how late a change by another process may show.
func WithMaxAge(d time.Duration) Option { return func(c *Cache) { c.maxAge = d } }

// New makes an empty cache.
func New(opts ...Option) *Cache {
	c := &Cache{lru: list.New(), entries: map[string]*list.Element{}, changes: func() uint64 { return 0 }, maxAge: MaxAge}
	for _, o := range opts {
		o(c)
	}
	return c
}

// generation is the generation of what the store holds now; c.mu is held.
func (c *Cache) generation() uint64 { return c.gen + c.changes() }

// get returns the fresh entry for key, and the generation a build for it
// must be stored with.
func (c *Cache) get(key string, now time.Time) (Document, bool, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	gen := c.generation()
	el, ok := c.entries[key]
	if !ok {
		return Document{}, false, gen
	}
	e := el.Value.(*entry)
	if e.gen != gen || now.Sub(e.built) >= c.maxAge || now.Before(e.built) {
		return Document{}, false, gen
	}
	c.lru.MoveToFront(el)
	return e.doc, true, gen
}

// put stores a document built from what the store held at generation gen
// and returns it with its Modified time; it keeps nothing when a change
// came since.
func (c *Cache) put(key string, gen uint64, now time.Time, doc Document) Document {
	c.mu.Lock()
	defer c.mu.Unlock()
	current := c.generation()
	doc.Modified = now.UTC().Truncate(time.Second)
	if el, ok := c.entries[key]; ok {
		old := el.Value.(*entry)
		switch {
		case old.doc.ETag == doc.ETag:
			doc.Modified = old.doc.Modified
		case !doc.Modified.After(old.doc.Modified):
			// A changed body gets a later Last-Modified than the one a
			// client may hold.
			doc.Modified = old.doc.Modified.Add(time.Second)
		}
		if gen != current {
			return doc
		}
		c.remove(el)
	} else if gen != current {
		return doc
	}
	if len(doc.Body) > maxBytes/8 {
		return doc
	}
	c.entries[key] = c.lru.PushFront(&entry{key: key, gen: gen, built: now, doc: doc})
	c.bytes += len(doc.Body)
	for c.lru.Len() > maxEntries || c.bytes > maxBytes {
		c.remove(c.lru.Back())
	}
	return doc
}

func (c *Cache) remove(el *list.Element) {
	e := c.lru.Remove(el).(*entry)
	delete(c.entries, e.key)
	c.bytes -= len(e.doc.Body)
}

// Serve returns the document stored under key, or builds it with build
// (the document and whether it is gone), encodes it as JSON and stores it.
func (c *Cache) Serve(ctx context.Context, key string, now time.Time, build func(context.Context) (doc any, gone bool, err error)) (Document, error) {
	d, ok, gen := c.get(key, now)
	if ok {
		return d, nil
	}
	doc, gone, err := build(ctx)
	if err != nil {
		return Document{}, err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return Document{}, err
	}
	return c.put(key, gen, now, Document{Body: b, ETag: etagOf(b), Gone: gone}), nil
}

// ServeBody is Serve for a build that encodes its own body and gives the
// Link header that goes with it.
func (c *Cache) ServeBody(ctx context.Context, key string, now time.Time, build func(context.Context) (body []byte, link string, err error)) (Document, error) {
	d, ok, gen := c.get(key, now)
	if ok {
		return d, nil
	}
	b, link, err := build(ctx)
	if err != nil {
		return Document{}, err
	}
	return c.put(key, gen, now, Document{Body: b, ETag: etagOf(b), Link: link}), nil
}

// etagOf is the ETag of a body: a hash of it, quoted.
func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
}

// Changed makes every document stale: each is rebuilt on its next read.
// Call it after the change is committed.
func (c *Cache) Changed() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
}
