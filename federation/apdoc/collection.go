package apdoc

import (
	"fmt"

	"github.com/pollen-coop/pollen/federation/ap"
)

// OutboxPageSize is how many activities one outbox page holds.
const OutboxPageSize = 20

// CollectionSummary is a collection without its items, with the link to
// its first page when it has items.
func CollectionSummary(id string, total int64) Collection {
	c := Collection{Context: ap.Context, ID: id, Type: "OrderedCollection", TotalItems: &total}
	if total > 0 {
		c.First = id + "?page=1"
	}
	return c
}

// PageLinks fills the page ID and its neighbours for page n of a collection
// of total items.
func PageLinks(c *Collection, id string, n int, total int64, size int) {
	c.ID = fmt.Sprintf("%s?page=%d", id, n)
	c.Type = "OrderedCollectionPage"
	c.PartOf = id
	if int64(n*size) < total {
		c.Next = fmt.Sprintf("%s?page=%d", id, n+1)
	}
	if n > 1 {
		c.Prev = fmt.Sprintf("%s?page=%d", id, n-1)
	}
}
