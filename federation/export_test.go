package federation

import (
	"context"
	"net/http"

	"github.com/pollen-coop/pollen/models"
)

// VerifyRequest verifies r, whose body is body, as the inbox does:
// VerifySignature, then Signed.CheckBody.
func (s *Service) VerifyRequest(ctx context.Context, r *http.Request, body []byte) (models.Actor, error) {
	signed, err := s.VerifySignature(ctx, r)
	if err != nil {
		return models.Actor{}, err
	}
	return signed.CheckBody(body)
}

// verify is VerifyRequest on the verifier alone.
func (v *verifier) verify(ctx context.Context, r *http.Request, body []byte) (models.Actor, error) {
	p, err := v.check(r, len(body) > 0 || r.ContentLength > 0)
	if err != nil {
		return models.Actor{}, err
	}
	signer, err := v.verifySigned(ctx, r, p)
	if err != nil {
		return models.Actor{}, err
	}
	if err := sigError(p.CheckBody(body)); err != nil {
		return models.Actor{}, err
	}
	return signer, nil
}

// StoreForTest returns the service's store, for tests that check what was
// (or was not) stored.
func (s *Service) StoreForTest() *models.Store { return s.store }

// Fetcher returns the fetcher the service reads other servers with, for
// tests that fetch through a running node.
func (s *Service) Fetcher() Fetcher { return s.fetcher }
