package federation

import (
	"context"
	"errors"
	"fmt"

	"github.com/pollen-coop/pollen/federation/fetch"
	"github.com/pollen-coop/pollen/federation/policy"
	"github.com/pollen-coop/pollen/federation/transport"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// Fetcher is the node's fetch.Fetcher, the refusals of the methods the
// service calls turned into *apperr.Error values (fetchError).
type Fetcher struct{ *fetch.Fetcher }

// FetchActor is fetch.Fetcher.FetchActor: it returns a 400 *apperr.Error for a
// URL that is not http or https or is on a private network; a 502 *apperr.Error
// for an answer it cannot use, wrapping models.ErrNotFound for a 404,
// models.ErrGone for a 410 and transport.ErrCrossOrigin for a redirect to another
// origin; and store errors.
func (f Fetcher) FetchActor(ctx context.Context, iri string) (models.Actor, error) {
	a, err := f.Fetcher.FetchActor(ctx, iri)
	return a, fetchError(err)
}

// LookupActor is fetch.Fetcher.LookupActor, with FetchActor's errors.
func (f Fetcher) LookupActor(ctx context.Context, iri string) (models.Actor, error) {
	a, err := f.Fetcher.LookupActor(ctx, iri)
	return a, fetchError(err)
}

// ResolveActor is fetch.Fetcher.ResolveActor: it returns FetchActor's
// errors, and for a handle a 400 *apperr.Error when it is malformed, a 404 *apperr.Error
// when the host knows no such account and a 502 *apperr.Error when the host
// answers wrongly.
func (f Fetcher) ResolveActor(ctx context.Context, target string) (models.Actor, error) {
	a, err := f.Fetcher.ResolveActor(ctx, target)
	return a, fetchError(err)
}

// Document is fetch.Fetcher.Document, with FetchActor's errors.
func (f Fetcher) Document(ctx context.Context, rawURL string) (fetch.Response, error) {
	resp, err := f.Fetcher.Document(ctx, rawURL)
	return resp, fetchError(err)
}

// fetchError answers a refusal of package fetch with an *apperr.Error: 403
// for a domain or actor the policy refuses, 400 for ErrRefused, 404 for ErrNoAccount, 502 for ErrBadAnswer, with fetch's
// message and cause. Any other error is returned as it is.
func fetchError(err error) error {
	fe, ok := err.(*fetch.Error)
	if !ok {
		return err
	}
	kind := apperr.BadGateway
	var refusal *policy.Refusal
	switch {
	case errors.As(fe.Err, &refusal):
		return &apperr.Error{Kind: apperr.Forbidden, Message: refusal.Message, Err: fe}
	case errors.Is(fe.Kind, fetch.ErrRefused):
		kind = apperr.Invalid
	case errors.Is(fe.Kind, fetch.ErrNoAccount):
		kind = apperr.NotFound
	}
	return &apperr.Error{Kind: kind, Message: fe.Message, Err: fe.Err}
}

// transportGetter lets the fetcher reach the network through the
// transport, the transport's refusals wrapped in fetch's too.
type transportGetter struct{ t *transport.Transport }

// Get is Transport.Get.
func (g transportGetter) Get(ctx context.Context, signer models.Actor, rawURL, accept string, limit int64) (fetch.Response, error) {
	resp, err := g.t.Get(ctx, signer, rawURL, accept, limit)
	return fetch.Response(resp), getError(err)
}

// GetAnyOrigin is Transport.GetAnyOrigin.
func (g transportGetter) GetAnyOrigin(ctx context.Context, signer models.Actor, rawURL, accept string, limit int64) (fetch.Response, error) {
	resp, err := g.t.GetAnyOrigin(ctx, signer, rawURL, accept, limit)
	return fetch.Response(resp), getError(err)
}

// getError wraps the transport's ErrPrivateAddress, ErrCrossOrigin and
// ErrTooLarge in fetch's, keeping them.
func getError(err error) error {
	for _, m := range []struct{ transport, fetch error }{
		{transport.ErrPrivateAddress, fetch.ErrPrivateAddress},
		{transport.ErrCrossOrigin, fetch.ErrCrossOrigin},
		{transport.ErrTooLarge, fetch.ErrTooLarge},
	} {
		if errors.Is(err, m.transport) {
			return fmt.Errorf("%w: %w", m.fetch, err)
		}
	}
	return err
}
