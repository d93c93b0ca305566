package mastoapi

import (
	"context"
	"sync"
	"time"
)

// orgAccountTTL is how long the organisation's Account shown as the
// author of its statuses is reused: its counts come from NodeInfo, which
// counts rows, too dear to do for every page of a timeline.
const orgAccountTTL = 2 * time.Second

// accountCache keeps the organisation's Account for orgAccountTTL.
type accountCache struct {
	mu      sync.Mutex
	account Account
	at      time.Time
}

// statusOrganisation is the organisation's Account as the author of
// statuses: the one read less than orgAccountTTL ago, or a fresh one. It
// returns the errors of reading the organisation.
func (h *Handler) statusOrganisation(ctx context.Context) (Account, error) {
	c := h.orgCache
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < orgAccountTTL {
		return c.account, nil
	}
	a, _, err := h.organisation(ctx)
	if err != nil {
		return Account{}, err
	}
	c.account, c.at = a, time.Now()
	return a, nil
}
