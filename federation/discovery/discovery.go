// Package discovery answers the questions other servers ask before they
// speak ActivityPub to the node: WebFinger (who is acct:handle@host),
// host-meta (where WebFinger is) and NodeInfo (what software this is, and
// how much it holds).
package discovery

import (
	"strings"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/models"
)

// Discovery builds the WebFinger, host-meta and NodeInfo answers of a node
// from its configuration and its store.
type Discovery struct {
	cfg     config.Config
	store   *models.Store
	version string
}

// New returns the discovery answers of the node configured by cfg over
// store; version is the software version NodeInfo names.
func New(cfg config.Config, store *models.Store, version string) *Discovery {
	return &Discovery{cfg: cfg, store: store, version: version}
}

// MediaTypeOf guesses an image's media type from the end of its URL, or
// returns "" when the URL does not say.
func MediaTypeOf(u string) string {
	switch {
	case strings.HasSuffix(u, ".png"):
		return "image/png"
	case strings.HasSuffix(u, ".jpg"), strings.HasSuffix(u, ".jpeg"):
		return "image/jpeg"
	case strings.HasSuffix(u, ".webp"):
		return "image/webp"
	case strings.HasSuffix(u, ".svg"):
		return "image/svg+xml"
	}
	return ""
}
