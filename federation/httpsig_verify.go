package federation

import (
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/internal/apperr"

	"github.com/pollen-coop/pollen/models"
)

// refetchAfter is how often, at most, a failed verification fetches one
// key again: a key rotated just after it was fetched is taken at once, but
// forged signatures cannot make the node fetch a key on every request.
const refetchAfter = time.Minute

// keyLookup finds the actor that owns a public key: from the cache, or
// (refresh) fetched anew from its origin.
type keyLookup interface {
	ActorForKey(ctx context.Context, keyID string, refresh bool) (models.Actor, error)
}

// verifier checks the HTTP signatures of incoming requests.
type verifier struct {
	keys keyLookup
	now  func() time.Time
	// host is this node's host as a request signed for it names it
	// (nodeHost), and https whether its base URL is https: a request
	// signed for another host is refused.
	host  string
	https bool
	// cache keeps remote signers with their parsed keys.
	cache keyCache

	// refetched is when each key was last fetched again after a failure.
	mu        sync.Mutex
	refetched map[string]time.Time
}

// mayRefetch reports whether keyID may be fetched again now, and if so
// records that it is.
func (v *verifier) mayRefetch(keyID string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := v.now()
	if last, ok := v.refetched[keyID]; ok && now.Sub(last) < refetchAfter {
		return false
	}
	if v.refetched == nil || len(v.refetched) >= 4096 {
		v.refetched = map[string]time.Time{} // forget old entries rather than grow
	}
	v.refetched[keyID] = now
	return true
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
	signer, err := s.verifier.verifySigned(ctx, r, p)
	if errors.Is(err, models.ErrGone) {
		return Signed{params: p, r: r, err: err}, nil
	}
	if err != nil {
		return Signed{}, err
	}
	return Signed{signer: signer, params: p, r: r}, nil
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

// verifySigned checks the signature of a request that passed check, with
// the signer's key, fetching the key again once if it may have rotated.
func (v *verifier) verifySigned(ctx context.Context, r *http.Request, p httpsig.Params) (models.Actor, error) {
	signer, pub, err := v.signer(ctx, p.KeyID)
	if err != nil {
		return models.Actor{}, err
	}
	retry, err := verifyWith(r, signer, pub, p.KeyID)
	if err == nil {
		return signer, nil
	}
	if !retry || signer.Local || !v.mayRefetch(p.KeyID) {
		return models.Actor{}, err
	}
	v.cache.forget(signer.IRI, p.KeyID)
	signer, ferr := v.keys.ActorForKey(ctx, p.KeyID, true)
	if ferr != nil {
		return models.Actor{}, unauthorized("the signature does not verify and the key could not be fetched again", errors.Join(err, ferr))
	}
	pub, _ = parseRSAPublicKey(signer)
	if _, err := verifyWith(r, signer, pub, p.KeyID); err != nil {
		return models.Actor{}, err
	}
	v.cache.put(p.KeyID, signer, pub, v.now())
	return signer, nil
}

// signer returns the owner of keyID and its parsed RSA key (nil if it
// cannot be read), from the cache or else from the key lookup.
func (v *verifier) signer(ctx context.Context, keyID string) (models.Actor, *rsa.PublicKey, error) {
	now := v.now()
	if e, ok := v.cache.get(keyID, now); ok {
		return e.actor, e.pub, nil
	}
	signer, err := v.keys.ActorForKey(ctx, keyID, false)
	if err != nil {
		return models.Actor{}, nil, unauthorized("could not get the signing key "+keyID, err)
	}
	pub, err := parseRSAPublicKey(signer)
	if err == nil && signer.KeyID == keyID && sameHost(keyID, signer.IRI) {
		v.cache.put(keyID, signer, pub, now)
	}
	return signer, pub, nil
}

// parseRSAPublicKey reads an actor's public key, which must be RSA.
func parseRSAPublicKey(a models.Actor) (*rsa.PublicKey, error) {
	pub, err := ParsePublicKeyPEM(a.PublicKeyPEM)
	if err != nil {
		return nil, err
	}
	rsaKey, ok := pub.(*rsa.PublicKey)
	if !ok {
		return nil, errors.New("not an RSA key")
	}
	return rsaKey, nil
}

// check does every check that needs neither the key nor the body
// (httpsig.Check), so that a stale, misdirected or malformed request never
// makes the node fetch anything. hasBody tells whether the request has a
// body, which must then be covered by a Digest.
func (v *verifier) check(r *http.Request, hasBody bool) (httpsig.Params, error) {
	p, err := httpsig.Check(r, hasBody, v.host, v.scheme(), v.now())
	return p, sigError(err)
}

// scheme is the scheme of the node's base URL, as far as the host tells:
// the default port is left out of a host only for its own scheme.
func (v *verifier) scheme() string {
	if v.https {
		return "https"
	}
	return "http"
}

// nodeHost is how a request signed for the node at base names its host:
// lower case, without the scheme's default port.
func nodeHost(base *url.URL) string {
	if base == nil {
		return ""
	}
	return httpsig.NormalHost(base.Host, base.Scheme)
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

// verifyWith checks the signature itself with the signer's key (rsaKey,
// parsed beforehand, or nil to parse it here), which must be the one named
// keyID and on the same host. retry tells whether the key
// could have changed since it was cached.
func verifyWith(r *http.Request, signer models.Actor, rsaKey *rsa.PublicKey, keyID string) (retry bool, err error) {
	if signer.KeyID != keyID {
		return true, unauthorized("the key "+keyID+" is not the current key of "+signer.IRI, nil)
	}
	if !sameHost(keyID, signer.IRI) {
		return false, unauthorized("the key "+keyID+" is not on the host of its owner "+signer.IRI, nil)
	}
	if rsaKey == nil {
		var err error
		if rsaKey, err = parseRSAPublicKey(signer); err != nil {
			return true, unauthorized("the signer's public key cannot be read as an RSA key", err)
		}
	}
	if err := httpsig.Verify(r, rsaKey, keyID); err != nil {
		return errors.Is(err, httpsig.ErrBadSignature), sigError(err)
	}
	return false, nil
}

// sameHost reports whether two absolute URLs have the same host (and port).
func sameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host != "" && strings.EqualFold(ua.Host, ub.Host)
}

// quote shows a remote value in a message, shortened.
func quote(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	var b bytes.Buffer
	b.WriteByte('"')
	b.WriteString(strings.ToValidUTF8(s, "?"))
	b.WriteByte('"')
	return b.String()
}
