package policy

import (
	"context"
	"fmt"
	"net/http"

	"github.com/pollen-coop/pollen/federation/delivery"
	"github.com/pollen-coop/pollen/models"
)

// Poster is a delivery.Poster that delivers nothing to a domain the
// policy refuses: such a delivery is undeliverable (delivery.ErrUndeliverable,
// wrapping the *Refusal), so that it is given up at once, not retried.
type Poster struct {
	Policy *Policy
	Next   delivery.Poster
}

// Post sends through Next when the policy allows the inbox's domain.
func (p Poster) Post(ctx context.Context, signer models.Actor, inbox string, body []byte) (int, http.Header, error) {
	if err := p.Policy.CheckURL(inbox); err != nil {
		return 0, nil, fmt.Errorf("%w: %w", delivery.ErrUndeliverable, err)
	}
	return p.Next.Post(ctx, signer, inbox, body)
}
