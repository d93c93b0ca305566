package federation

import (
	"context"

	"github.com/pollen-coop/pollen/federation/directory"
	"github.com/pollen-coop/pollen/models"
)

// Directory returns the network directory, which node refreshes in the
// background (Directory.Run).
func (s *Service) Directory() *directory.Directory { return s.directory }

// directoryGetter lets the directory read NodeInfo through the transport.
type directoryGetter struct{ s *Service }

// Get is Transport.Get, giving the status and body.
func (g directoryGetter) Get(ctx context.Context, signer models.Actor, rawURL, accept string, limit int64) (int, []byte, error) {
	resp, err := g.s.transport.Get(ctx, signer, rawURL, accept, limit)
	return resp.Status, resp.Body, err
}
