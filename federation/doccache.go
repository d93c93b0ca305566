package federation

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
	docCacheEntries = 1024
	docCacheBytes   = 8 << 20
	// docCacheMaxAge bounds how long a document changed by another
	// process (the CLI's key rotation, a second server on one PostgreSQL)
	// is served from this one's cache. Changes made in this process
	// invalidate at once (DocumentsChanged).
	docCacheMaxAge = 10 * time.Second
)

// ServedDocument is a document ready to serve: its JSON body, an ETag (a
// hash of the body, quoted), when the body last changed, and, for a
// deleted case study, Gone.
type ServedDocument struct {
	Body     []byte
	ETag     string
	Modified time.Time
	Gone     bool
}

// docCache keeps the served documents that change rarely (the actor, a
// case study's Article or Tombstone), by key, least recently used first
// out. A change bumps the generation: an older entry is rebuilt on its
// next read, keeping its Modified time when its body is the same. A build
// that started before a change is not stored.
type docCache struct {
	mu      sync.Mutex
	gen     uint64
	bytes   int
	lru     *list.List // of *docEntry, most recent first
	entries map[string]*list.Element
}

type docEntry struct {
	key   string
	gen   uint64
	built time.Time
	doc   ServedDocument
}

func newDocCache() *docCache {
	return &docCache{lru: list.New(), entries: map[string]*list.Element{}}
}

// get returns the fresh entry for key, and the generation a build for it
// must be stored with.
func (c *docCache) get(key string, now time.Time) (ServedDocument, bool, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return ServedDocument{}, false, c.gen
	}
	e := el.Value.(*docEntry)
	if e.gen != c.gen || now.Sub(e.built) >= docCacheMaxAge || now.Before(e.built) {
		return ServedDocument{}, false, c.gen
	}
	c.lru.MoveToFront(el)
	return e.doc, true, c.gen
}

// put stores a document built from what the store held at generation gen
// and returns it with its Modified time; it keeps nothing when a change
// came since.
func (c *docCache) put(key string, gen uint64, now time.Time, doc ServedDocument) ServedDocument {
	c.mu.Lock()
	defer c.mu.Unlock()
	doc.Modified = now.UTC().Truncate(time.Second)
	if el, ok := c.entries[key]; ok {
		old := el.Value.(*docEntry)
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
	if len(doc.Body) > docCacheBytes/8 {
		return doc
	}
	c.entries[key] = c.lru.PushFront(&docEntry{key: key, gen: gen, built: now, doc: doc})
	c.bytes += len(doc.Body)
	for c.lru.Len() > docCacheEntries || c.bytes > docCacheBytes {
		c.remove(c.lru.Back())
	}
	return doc
}

func (c *docCache) remove(el *list.Element) {
	e := c.lru.Remove(el).(*docEntry)
	delete(c.entries, e.key)
	c.bytes -= len(e.doc.Body)
}

// changed makes every entry stale.
func (c *docCache) changed() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
}

// served returns the cached document for key, or builds it with build.
func (s *Documents) served(ctx context.Context, key string, build func(context.Context) (doc any, gone bool, err error)) (ServedDocument, error) {
	now := s.now()
	d, ok, gen := s.docCache.get(key, now)
	if ok {
		return d, nil
	}
	doc, gone, err := build(ctx)
	if err != nil {
		return ServedDocument{}, err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return ServedDocument{}, err
	}
	sum := sha256.Sum256(b)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
	return s.docCache.put(key, gen, now, ServedDocument{Body: b, ETag: etag, Gone: gone}), nil
}

// ServedActor is ActorDocument ready to serve, from the cache.
func (s *Documents) ServedActor(ctx context.Context, handle string) (ServedDocument, error) {
	return s.served(ctx, "actor "+handle, func(ctx context.Context) (any, bool, error) {
		d, err := s.ActorDocument(ctx, handle)
		return d, false, err
	})
}

// ServedCaseStudy is CaseStudyDocument ready to serve, from the cache.
func (s *Documents) ServedCaseStudy(ctx context.Context, slug string) (ServedDocument, error) {
	return s.served(ctx, "case study "+slug, func(ctx context.Context) (any, bool, error) {
		return s.CaseStudyDocument(ctx, slug)
	})
}

// DocumentsChanged tells the cache of served documents that the local
// actor, a local case study or its replies changed: every document is
// rebuilt on its next read.
func (s *Documents) DocumentsChanged() { s.docCache.changed() }
