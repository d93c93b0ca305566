package federation

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/federation/fetch"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/internal/apperr"

	"github.com/pollen-coop/pollen/models"
)

// verifier checks the HTTP signatures of incoming requests: httpsig's
// checks and its rule for keys that fail, with the keys, and the actors
// who own them, from the key cache; its refusals are *apperr.Error values
// (sigError).
type verifier struct {
	sigs *httpsig.Verifier
	keys *fetch.Keys
}

// newVerifier makes the verifier of the node at base, over keys.
func newVerifier(keys *fetch.Keys, base *url.URL, now func() time.Time) *verifier {
	host, scheme := "", "http"
	if base != nil {
		host, scheme = base.Host, base.Scheme
	}
	return &verifier{sigs: httpsig.NewVerifier(keys, host, scheme, now), keys: keys}
}

// Signed is a request whose signature VerifySignature has checked before
// its body was read: only the body's Digest is left to check. A request
// whose key answered 410 Gone carries that failure (err) and the request,
// for ReceiveActivity to decide once the body is read.
type Signed struct {
	signer models.Actor
	params httpsig.Params
	r      *http.Request
	err    error
}

// VerifySignature checks the HTTP signature of an incoming request before
// its body is read, and returns the actor who signed it in a Signed. The
// signature must be a draft-cavage Signature header, rsa-sha256 or hs2019
// (verified as RSA-SHA256), covering (request-target), host, date and, for
// a request with a body, digest; the signed host must be this node's (its
// base URL's host, with the port unless it is the scheme's default) and
// Date within MaxClockSkew of now. A key that fails is fetched again once,
// in case it was rotated. The signature covers the Digest header, not the
// body: a request that is not signed, not signed for this node, stale or
// signed with a key that does not verify is refused before its body is
// read, and the body must then go through Signed.CheckBody (which
// ReceiveActivity does).
//
// A request whose keyId or signer is of a domain, or is an actor, the
// federation policy refuses is refused with a 403 *apperr.Error saying
// why, its key not fetched when the keyId tells.
//
// It returns a 400 *apperr.Error for malformed Signature, Date or Digest headers
// and a 401 *apperr.Error naming the reason for every other refusal (unsigned,
// signed for another host, stale, unknown key, bad signature), but for a
// key that answers 410 Gone: that refusal is left in the Signed, as an
// actor's Delete of itself is answered 202 (ReceiveActivity).
func (s *Service) VerifySignature(ctx context.Context, r *http.Request) (Signed, error) {
	p, err := s.verifier.check(r, r.ContentLength != 0)
	if err != nil {
		return Signed{}, err
	}
	// The keyId's actor (its IRI, but for the fragment) and domain, before
	// anything is fetched; then the signer's.
	keyActor, _, _ := strings.Cut(p.KeyID, "#")
	if err := forbidden(s.policy.CheckActor(keyActor)); err != nil {
		return Signed{}, err
	}
	signer, err := s.verifier.verifySigned(ctx, r, p)
	if errors.Is(err, models.ErrGone) {
		return Signed{params: p, r: r, err: err}, nil
	}
	if err != nil {
		return Signed{}, err
	}
	if err := forbidden(s.policy.CheckActor(signer.IRI)); err != nil {
		return Signed{}, err
	}
	return Signed{signer: signer, params: p, r: r}, nil
}

// forbidden answers a refusal of the federation policy with a 403
// *apperr.Error saying why; nil stays nil.
func forbidden(err error) error {
	if err == nil {
		return nil
	}
	return &apperr.Error{Kind: apperr.Forbidden, Message: err.Error(), Err: err}
}

// CheckBody checks body against the signed Digest and returns the signer.
// It returns a 401 *apperr.Error when they differ, when the key was gone, or when
// s was not made by VerifySignature.
func (s Signed) CheckBody(body []byte) (models.Actor, error) {
	if s.err != nil {
		return models.Actor{}, s.err
	}
	if s.signer.IRI == "" {
		return models.Actor{}, unauthorized("the request's signature was not verified", nil)
	}
	if err := sigError(s.params.CheckBody(body)); err != nil {
		return models.Actor{}, err
	}
	return s.signer, nil
}

func unauthorized(reason string, cause error) *apperr.Error {
	return &apperr.Error{Kind: apperr.Unauthorized, Message: reason, Err: cause}
}

// check does every check that needs neither the key nor the body
// (httpsig.Verifier.Check), so that a stale, misdirected or malformed
// request never makes the node fetch anything. hasBody tells whether the
// request has a body, which must then be covered by a Digest.
func (v *verifier) check(r *http.Request, hasBody bool) (httpsig.Params, error) {
	p, err := v.sigs.Check(r, hasBody)
	return p, sigError(err)
}

// verifySigned checks the signature of a request that passed check, with
// the signer's key (httpsig.Verifier.Verify), and returns the signer.
func (v *verifier) verifySigned(ctx context.Context, r *http.Request, p httpsig.Params) (models.Actor, error) {
	key, err := v.sigs.Verify(ctx, r, p)
	if err != nil {
		return models.Actor{}, sigError(err)
	}
	signer, err := v.keys.Signer(ctx, key)
	if err != nil {
		return models.Actor{}, unauthorized("could not get the signing key "+p.KeyID, err)
	}
	return signer, nil
}

// sigError maps a refusal of package httpsig to the *apperr.Error that answers
// it: 400 for a malformed header, 401 for every other, with httpsig's
// message and cause.
func sigError(err error) error {
	var e *httpsig.Error
	if !errors.As(err, &e) {
		return err
	}
	kind := apperr.Unauthorized
	if errors.Is(e.Kind, httpsig.ErrMalformed) {
		kind = apperr.Invalid
	}
	return &apperr.Error{Kind: kind, Message: e.Message, Err: e.Err}
}

// sameHost reports whether two absolute URLs have the same host (and
// port): httpsig.SameHost.
func sameHost(a, b string) bool { return httpsig.SameHost(a, b) }

// quote shows a remote value in a message, shortened: httpsig.Quote.
func quote(s string) string { return httpsig.Quote(s) }
