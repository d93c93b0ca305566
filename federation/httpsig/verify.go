package httpsig

import (
	"crypto/rsa"
	"net/http"

	gofed "github.com/go-fed/httpsig"
)

// Verify checks the signature of r, which passed Check, with pub, the
// public key named keyID, as RSA-SHA256 (hs2019 with an RSA key is
// RSA-SHA256, as Mastodon and GoToSocial treat it). It returns an *Error
// of kind ErrMalformed when the Signature header cannot be read and
// ErrBadSignature when the signature does not verify.
func Verify(r *http.Request, pub *rsa.PublicKey, keyID string) error {
	// go-fed adds a Host header to the map it is given: give it a copy.
	view := signingView(r)
	vr := *view
	vr.Header = r.Header.Clone()
	vr.Header.Set("Host", r.Host)
	gv, err := gofed.NewVerifier(&vr)
	if err != nil {
		return refuse(ErrMalformed, "the Signature header cannot be read", err)
	}
	if err := gv.Verify(pub, gofed.RSA_SHA256); err != nil {
		return refuse(ErrBadSignature, "the signature does not verify with the key "+keyID, err)
	}
	return nil
}
