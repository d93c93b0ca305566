package federation

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/pollen-coop/pollen/models"
)

// transportPoster delivers through the node's signing transport.
type transportPoster struct{ t *Transport }

// Post sends body to inbox signed by signer. A private address or a
// redirect to another origin (refused by the transport) is undeliverable;
// an accepted answer too long to read is still accepted.
func (p transportPoster) Post(ctx context.Context, signer models.Actor, inbox string, body []byte) (int, http.Header, error) {
	resp, err := p.t.Post(ctx, signer, inbox, body)
	switch {
	case err == nil:
		return resp.Status, resp.Header, nil
	case errors.Is(err, ErrPrivateAddress), errors.Is(err, ErrCrossOrigin):
		return 0, nil, fmt.Errorf("%w: %w", ErrUndeliverable, err)
	case errors.Is(err, ErrTooLarge) && resp.Status != 0:
		return resp.Status, resp.Header, nil
	}
	return resp.Status, resp.Header, err
}
