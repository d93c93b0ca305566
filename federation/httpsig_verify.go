package federation

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-fed/httpsig"

	"github.com/pollen-coop/pollen/models"
)

// MaxClockSkew is how far a signed request's Date may be from the node's
// clock, either way, as Mastodon allows.
const MaxClockSkew = time.Hour

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
	params sigParams
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
// It returns a 400 *Error for malformed Signature, Date or Digest headers
// and a 401 *Error naming the reason for every other refusal (unsigned,
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
// It returns a 401 *Error when they differ, when the key was gone, or when
// s was not made by VerifySignature.
func (s Signed) CheckBody(body []byte) (models.Actor, error) {
	if s.err != nil {
		return models.Actor{}, s.err
	}
	if s.signer.IRI == "" {
		return models.Actor{}, unauthorized("the request's signature was not verified", nil)
	}
	if err := s.params.checkBody(body); err != nil {
		return models.Actor{}, err
	}
	return s.signer, nil
}

func unauthorized(reason string, cause error) *Error {
	return &Error{Status: http.StatusUnauthorized, Message: reason, Err: cause}
}

func malformed(reason string, cause error) *Error {
	return &Error{Status: http.StatusBadRequest, Message: reason, Err: cause}
}

// verifySigned checks the signature of a request that passed check, with
// the signer's key, fetching the key again once if it may have rotated.
func (v *verifier) verifySigned(ctx context.Context, r *http.Request, p sigParams) (models.Actor, error) {
	signer, pub, err := v.signer(ctx, p.keyID)
	if err != nil {
		return models.Actor{}, err
	}
	retry, err := verifyWith(r, signer, pub, p.keyID)
	if err == nil {
		return signer, nil
	}
	if !retry || signer.Local || !v.mayRefetch(p.keyID) {
		return models.Actor{}, err
	}
	v.cache.forget(signer.IRI, p.keyID)
	signer, ferr := v.keys.ActorForKey(ctx, p.keyID, true)
	if ferr != nil {
		return models.Actor{}, unauthorized("the signature does not verify and the key could not be fetched again", errors.Join(err, ferr))
	}
	pub, _ = parseRSAPublicKey(signer)
	if _, err := verifyWith(r, signer, pub, p.keyID); err != nil {
		return models.Actor{}, err
	}
	v.cache.put(p.keyID, signer, pub, v.now())
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

// check does every check that needs neither the key nor the body, cheapest
// first, so that a stale, misdirected or malformed request never makes the
// node fetch anything. hasBody tells whether the request has a body, which
// must then be covered by a Digest.
func (v *verifier) check(r *http.Request, hasBody bool) (sigParams, error) {
	values := r.Header.Values("Signature")
	switch {
	case len(values) == 0:
		return sigParams{}, unauthorized("the request is not signed (no Signature header)", nil)
	case len(values) > 1:
		return sigParams{}, malformed("the request has more than one Signature header", nil)
	}
	p, err := parseSignature(values[0])
	if err != nil {
		return p, err
	}
	switch strings.ToLower(p.algorithm) {
	case "", "hs2019", "rsa-sha256":
	default:
		return p, unauthorized("unsupported signature algorithm "+quote(p.algorithm)+" (rsa-sha256 and hs2019 are)", nil)
	}
	needDigest := hasBody || r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch
	for _, h := range []string{httpsig.RequestTarget, "host", "date", "digest"} {
		if h == "digest" && !needDigest {
			continue
		}
		if !slices.Contains(p.headers, h) {
			return p, unauthorized("the signature does not cover "+h+" (signed: "+strings.Join(p.headers, " ")+")", nil)
		}
	}
	if host := normalHost(r.Host, v.scheme()); v.host == "" || host != v.host {
		return p, unauthorized("the request is signed for the host "+quote(r.Host)+", not for this node ("+v.host+")", nil)
	}
	if err := v.checkDate(r); err != nil {
		return p, err
	}
	if needDigest || r.Header.Get("Digest") != "" {
		if p.digest, err = readDigest(r); err != nil {
			return p, err
		}
		p.hasDigest = true
	}
	return p, nil
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
	return normalHost(base.Host, base.Scheme)
}

// normalHost is host in lower case, without a trailing dot or the default
// port of scheme.
func normalHost(host, scheme string) string {
	host = strings.ToLower(host)
	if h, port, err := net.SplitHostPort(host); err == nil {
		if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
			host = h
			if strings.Contains(h, ":") {
				host = "[" + h + "]"
			}
		}
	}
	return strings.TrimSuffix(host, ".")
}

func (v *verifier) checkDate(r *http.Request) error {
	values := r.Header.Values("Date")
	if len(values) != 1 {
		return malformed("the request needs exactly one Date header", nil)
	}
	date, err := http.ParseTime(values[0])
	if err != nil {
		return malformed("the Date header is not an HTTP date", err)
	}
	now := v.now()
	switch {
	case date.Before(now.Add(-MaxClockSkew)):
		return unauthorized("the Date is more than an hour old ("+values[0]+"): the request is stale", nil)
	case date.After(now.Add(MaxClockSkew)):
		return unauthorized("the Date is more than an hour in the future ("+values[0]+")", nil)
	}
	return nil
}

// readDigest reads the SHA-256 sum of the Digest header: go-fed/httpsig
// only checks that the header is signed. Of the digests listed, SHA-256 is
// required.
func readDigest(r *http.Request) ([]byte, error) {
	values := r.Header.Values("Digest")
	switch {
	case len(values) == 0:
		return nil, unauthorized("the request has a body but no Digest header", nil)
	case len(values) > 1:
		return nil, malformed("the request has more than one Digest header", nil)
	}
	var found []string
	for _, part := range strings.Split(values[0], ",") {
		algo, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || algo == "" {
			return nil, malformed("the Digest header is not algorithm=value", nil)
		}
		found = append(found, algo)
		if !strings.EqualFold(algo, "SHA-256") {
			continue
		}
		want, err := base64.StdEncoding.DecodeString(value)
		if err != nil || len(want) != sha256.Size {
			return nil, malformed("the SHA-256 Digest is not a base64 SHA-256 sum", err)
		}
		return want, nil
	}
	return nil, unauthorized("unsupported Digest algorithm "+quote(strings.Join(found, ", "))+": SHA-256 is required", nil)
}

// checkBody checks body against the Digest read by check, if there was one.
func (p sigParams) checkBody(body []byte) error {
	if !p.hasDigest {
		if len(body) > 0 {
			return unauthorized("the request has a body but no Digest header", nil)
		}
		return nil
	}
	got := sha256.Sum256(body)
	if subtle.ConstantTimeCompare(p.digest, got[:]) != 1 {
		return unauthorized("the Digest does not match the body", nil)
	}
	return nil
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
	// go-fed adds a Host header to the map it is given: give it a copy.
	view := signingView(r)
	vr := *view
	vr.Header = r.Header.Clone()
	vr.Header.Set("Host", r.Host)
	gv, err := httpsig.NewVerifier(&vr)
	if err != nil {
		return false, malformed("the Signature header cannot be read", err)
	}
	// The algorithm parameter is ours to choose: hs2019 with an RSA key is
	// RSA-SHA256, as Mastodon and GoToSocial treat it.
	if err := gv.Verify(rsaKey, httpsig.RSA_SHA256); err != nil {
		return true, unauthorized("the signature does not verify with the key "+keyID, err)
	}
	return false, nil
}

// sigParams are the parts of a Signature header the node checks itself,
// and the SHA-256 sum the Digest header gives, if it has one.
type sigParams struct {
	keyID     string
	algorithm string
	headers   []string
	digest    []byte
	hasDigest bool
}

// parseSignature reads a Signature header exactly as go-fed/httpsig does
// (comma-separated key="value" pairs, the last of a name winning, headers
// defaulting to "date"), so that the header list checked here is the one
// go-fed verifies. It returns a 400 *Error for a malformed header.
func parseSignature(s string) (sigParams, error) {
	var p sigParams
	var sig string
	headers := "date"
	for _, part := range strings.Split(s, ",") {
		k, val, ok := strings.Cut(part, "=")
		if !ok {
			return p, malformed("the Signature header is not a list of key=\"value\" pairs", nil)
		}
		val = strings.Trim(val, `"`)
		switch k {
		case "keyId":
			p.keyID = val
		case "algorithm":
			p.algorithm = val
		case "headers":
			headers = val
		case "signature":
			sig = val
		}
	}
	switch {
	case p.keyID == "":
		return p, malformed("the Signature header has no keyId", nil)
	case sig == "":
		return p, malformed("the Signature header has no signature", nil)
	}
	if !utf8.ValidString(p.keyID) {
		return p, malformed("the keyId is not valid UTF-8", nil)
	}
	if u, err := url.Parse(p.keyID); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return p, malformed("the keyId "+quote(p.keyID)+" is not an http or https URL", err)
	}
	for _, h := range strings.Split(headers, " ") {
		p.headers = append(p.headers, strings.ToLower(h))
	}
	return p, nil
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
