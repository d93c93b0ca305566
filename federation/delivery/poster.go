package delivery

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/pollen-coop/pollen/federation/transport"
	"github.com/pollen-coop/pollen/models"
)

// TransportPoster is the Poster of a node: it delivers through the node's
// signing transport.
type TransportPoster struct{ Transport *transport.Transport }

// Post sends body to inbox signed by signer. A private address or a
// redirect to another origin (refused by the transport) is undeliverable
// (ErrUndeliverable, wrapping the transport's error); an accepted answer
// too long to read is still accepted. Other errors are the transport's.
func (p TransportPoster) Post(ctx context.Context, signer models.Actor, inbox string, body []byte) (int, http.Header, error) {
	resp, err := p.Transport.Post(ctx, signer, inbox, body)
	switch {
	case err == nil:
		return resp.Status, resp.Header, nil
	case errors.Is(err, transport.ErrPrivateAddress), errors.Is(err, transport.ErrCrossOrigin):
		return 0, nil, fmt.Errorf("%w: %w", ErrUndeliverable, err)
	case errors.Is(err, transport.ErrTooLarge) && resp.Status != 0:
		return resp.Status, resp.Header, nil
	}
	return resp.Status, resp.Header, err
}
