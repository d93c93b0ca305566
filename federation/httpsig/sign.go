// Package httpsig signs outgoing requests and verifies the HTTP signatures
// (draft-cavage, rsa-sha256 and hs2019), Digest and Date of incoming ones:
// the Verifier binds them to the node's host and finds the signer's key
// through a KeyLookup, fetching a key that fails once more in case it was
// rotated. It also makes and reads the RSA keys (keys.go). It imports
// nothing of Pollen; its refusals are *Error values of a kind
// (ErrUnsigned, ErrExpired, ErrBadDigest, ErrUnknownKey…), never HTTP
// statuses.
package httpsig

import (
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"

	gofed "github.com/go-fed/httpsig"
)

// Headers the node signs, as Mastodon expects them: POSTs cover the body
// through Digest, GETs cover the target, the host and the date.
var (
	signedPostHeaders = []string{gofed.RequestTarget, "host", "date", "digest"}
	signedGetHeaders  = []string{gofed.RequestTarget, "host", "date"}
)

// Key is what an outgoing request is signed with: the key's IRI
// (an actor's KeyID, …#main-key) and the RSA private key.
type Key struct {
	KeyID string
	Key   *rsa.PrivateKey
}

// Sign signs r as Mastodon expects. It sets Host and Date (from
// now), and for a request with a body (body not nil) a SHA-256 Digest of
// body, then a Signature header with algorithm rsa-sha256 over
// "(request-target) host date digest" (or "(request-target) host date"
// without a body). body must be the exact bytes r will send. Any Date,
// Digest or Signature r already has is replaced. It returns an error if the
// key cannot sign.
func Sign(r *http.Request, key Key, body []byte, now time.Time) error {
	if key.Key == nil || key.KeyID == "" {
		return fmt.Errorf("httpsig: sign %s %s: no signing key", r.Method, r.URL)
	}
	headers := signedGetHeaders
	if body != nil {
		headers = signedPostHeaders
	}
	// Each signer is cheap and not safe for concurrent use: make one per
	// request.
	signer, _, err := gofed.NewSigner([]gofed.Algorithm{gofed.RSA_SHA256}, gofed.DigestSha256, headers, gofed.Signature, 0)
	if err != nil {
		return fmt.Errorf("httpsig: new signer: %w", err)
	}
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	for _, h := range []string{"Date", "Digest", "Signature"} {
		r.Header.Del(h)
	}
	r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	// go-fed reads the host from the header map; the client sends r.Host.
	r.Header.Set("Host", r.Host)
	defer r.Header.Del("Host")
	if err := signer.SignRequest(key.Key, key.KeyID, signingView(r), body); err != nil {
		return fmt.Errorf("httpsig: sign %s %s: %w", r.Method, r.URL, err)
	}
	// go-fed always writes algorithm="hs2019"; name the algorithm the key
	// really uses, which every server understands (the parameter is not
	// covered by the signature).
	sig := r.Header.Get("Signature")
	r.Header.Set("Signature", strings.Replace(sig, `,algorithm="hs2019",`, `,algorithm="rsa-sha256",`, 1))
	return nil
}

// signingView is r with its URL path as it goes on the wire, sharing r's
// header map: go-fed builds (request-target) from URL.Path, which is the
// decoded path.
func signingView(r *http.Request) *http.Request {
	if r.URL.RawPath == "" {
		return r
	}
	v := *r
	u := *r.URL
	u.Path, u.RawPath = r.URL.EscapedPath(), ""
	v.URL = &u
	return &v
}

// Digest is the SHA-256 Digest header value for body.
func Digest(body []byte) string {
	sum := sha256.Sum256(body)
	return "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
}
