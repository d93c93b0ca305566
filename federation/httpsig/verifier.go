package httpsig

import (
	"context"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// refetchAfter is how often, at most, a failed verification fetches one
// key again: a key rotated just after it was fetched is taken at once, but
// forged signatures cannot make the node fetch a key on every request.
const refetchAfter = time.Minute

// PublicKey is a signer's key as a KeyLookup finds it.
type PublicKey struct {
	// ID is the id of the owner's current key, which a signature must
	// name as its keyId; Owner is the IRI of the actor it belongs to.
	ID    string
	Owner string
	// Key is the key, or nil when it cannot be read as an RSA key, and
	// KeyErr says why.
	Key    *rsa.PublicKey
	KeyErr error
	// Local is set for a key of the node's own actors: it is never fetched
	// again.
	Local bool
}

// KeyLookup finds the key a signature's keyId names: from what is known
// of it (refresh false), or fetched anew from its origin (refresh true),
// when a signature does not verify with the key known. Its errors are
// kept as the cause of the ErrUnknownKey refusal.
type KeyLookup interface {
	Key(ctx context.Context, keyID string, refresh bool) (PublicKey, error)
}

// Verifier checks the HTTP signatures of the requests a node receives:
// Check before the key is looked up and before the body is read, Verify
// with the key, and Params.CheckBody once the body is read. It is safe for
// concurrent use.
type Verifier struct {
	keys KeyLookup
	now  func() time.Time
	// host is the node's host as a request signed for it names it
	// (NormalHost), scheme the scheme of its base URL ("https" or "http"):
	// a request signed for another host is refused.
	host   string
	scheme string

	// refetched is when each key was last fetched again after a failure.
	mu        sync.Mutex
	refetched map[string]time.Time
}

// NewVerifier makes a Verifier for the node whose base URL has host and
// scheme, finding keys with keys and reading the time from now.
func NewVerifier(keys KeyLookup, host, scheme string, now func() time.Time) *Verifier {
	v := &Verifier{keys: keys, now: now, host: NormalHost(host, scheme), scheme: "http"}
	if scheme == "https" {
		v.scheme = "https"
	}
	return v
}

// Check does every check that needs neither the key nor the body (see the
// function Check), for this node's host and at the verifier's clock, so
// that a stale, misdirected or malformed request never makes the node
// fetch anything. hasBody tells whether the request has a body, which
// must then be covered by a Digest. It returns Check's errors.
func (v *Verifier) Check(r *http.Request, hasBody bool) (Params, error) {
	return Check(r, hasBody, v.host, v.scheme, v.now())
}

// Verify checks the signature of r, which passed Check with p, with the
// key p.KeyID names, and returns that key. The key must be its owner's
// current key and on its owner's host. A key that fails is fetched again
// once (refresh), in case it was rotated, unless it is the node's own or
// was fetched again less than a minute ago. It returns an *Error of kind
// ErrUnknownKey when the key cannot be found, fetched again or used (the
// lookup's error as its cause), and Verify's refusals.
func (v *Verifier) Verify(ctx context.Context, r *http.Request, p Params) (PublicKey, error) {
	key, err := v.keys.Key(ctx, p.KeyID, false)
	if err != nil {
		return PublicKey{}, refuse(ErrUnknownKey, "could not get the signing key "+p.KeyID, err)
	}
	retry, err := verifyWith(r, key, p.KeyID)
	if err == nil {
		return key, nil
	}
	if !retry || key.Local || !v.mayRefetch(p.KeyID) {
		return PublicKey{}, err
	}
	fresh, ferr := v.keys.Key(ctx, p.KeyID, true)
	if ferr != nil {
		return PublicKey{}, refuse(ErrUnknownKey, "the signature does not verify and the key could not be fetched again", errors.Join(err, ferr))
	}
	if _, err := verifyWith(r, fresh, p.KeyID); err != nil {
		return PublicKey{}, err
	}
	return fresh, nil
}

// mayRefetch reports whether keyID may be fetched again now, and if so
// records that it is.
func (v *Verifier) mayRefetch(keyID string) bool {
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

// verifyWith checks the signature itself with key, which must be the one
// named keyID and on its owner's host. retry tells whether the key could
// have changed since it was looked up.
func verifyWith(r *http.Request, key PublicKey, keyID string) (retry bool, err error) {
	if key.ID != keyID {
		return true, refuse(ErrUnknownKey, "the key "+keyID+" is not the current key of "+key.Owner, nil)
	}
	if !SameHost(keyID, key.Owner) {
		return false, refuse(ErrUnknownKey, "the key "+keyID+" is not on the host of its owner "+key.Owner, nil)
	}
	if key.Key == nil {
		return true, refuse(ErrUnknownKey, "the signer's public key cannot be read as an RSA key", key.KeyErr)
	}
	if err := Verify(r, key.Key, keyID); err != nil {
		return errors.Is(err, ErrBadSignature), err
	}
	return false, nil
}

// SameHost reports whether two absolute URLs have the same host (and
// port).
func SameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host != "" && strings.EqualFold(ua.Host, ub.Host)
}
