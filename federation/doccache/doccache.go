// Package doccache keeps the documents a node serves that change rarely
// (its actor, a case study's Article or Tombstone), encoded, with an ETag
// and a Last-Modified date, within bounds of entries and bytes. A change
// made by this process invalidates them at once (Changed); one made by
// another process (the CLI's key rotation, a second server on the same
// PostgreSQL) shows after MaxAge at most.
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
	// served from this one's cache.
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
}

type entry struct {
	key   string
	gen   uint64
	built time.Time
	doc   Document
}

// New makes an empty cache.
func New() *Cache {
	return &Cache{lru: list.New(), entries: map[string]*list.Element{}}
}

// get returns the fresh entry for key, and the generation a build for it
// must be stored with.
func (c *Cache) get(key string, now time.Time) (Document, bool, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return Document{}, false, c.gen
	}
	e := el.Value.(*entry)
	if e.gen != c.gen || now.Sub(e.built) >= MaxAge || now.Before(e.built) {
		return Document{}, false, c.gen
	}
	c.lru.MoveToFront(el)
	return e.doc, true, c.gen
}

// put stores a document built from what the store held at generation gen
// and returns it with its Modified time; it keeps nothing when a change
// came since.
func (c *Cache) put(key string, gen uint64, now time.Time, doc Document) Document {
	c.mu.Lock()
	defer c.mu.Unlock()
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
		if gen != c.gen {
			return doc
		}
		c.remove(el)
	} else if gen != c.gen {
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
	sum := sha256.Sum256(b)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
	return c.put(key, gen, now, Document{Body: b, ETag: etag, Gone: gone}), nil
}

// Changed makes every document stale: each is rebuilt on its next read.
// Call it after the change is committed.
func (c *Cache) Changed() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
}
