package federation

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// FuzzVerifyRequest mutates the Signature, Digest and Date headers and the
// body of a valid signed POST. The verifier must never panic, must refuse
// with a 400 or 401 *apperr.Error, and must never accept a request that differs in
// substance from the one signed; checking the signature before the body,
// as the inbox does, must come to the same answer. The seed corpus is in
// testdata/fuzz/FuzzVerifyRequest.
func FuzzVerifyRequest(f *testing.F) {
	body := []byte(testBody)
	base := signedPost(f, "test-key.pem", testNow, body)
	sig0, digest0, date0 := base.Header.Get("Signature"), base.Header.Get("Digest"), base.Header.Get("Date")
	p0, err := httpsig.ParseSignature(sig0)
	if err != nil {
		f.Fatal(err)
	}
	raw0 := signatureBytes(sig0)
	f.Add(sig0, digest0, date0, body)
	f.Add(strings.Replace(sig0, "rsa-sha256", "hs2019", 1), digest0, date0, body)

	peer := testPeer(f)
	v := newTestVerifier(&fakeKeys{cached: map[string]models.Actor{peer.KeyID: peer}}, "pollen.example", true, func() time.Time { return testNow })
	f.Fuzz(func(t *testing.T, sig, digest, date string, b []byte) {
		r := httptest.NewRequest(http.MethodPost, "https://pollen.example/inbox", bytes.NewReader(b))
		r.Header["Signature"] = []string{sig}
		r.Header["Digest"] = []string{digest}
		r.Header["Date"] = []string{date}
		signer, err := v.verify(context.Background(), r, b)
		// The inbox's way, the signature before the body, agrees.
		if _, err2 := verifyInTwoSteps(v.verifier, r, b); (err == nil) != (err2 == nil) {
			t.Fatalf("in one step: %v; signature then body: %v", err, err2)
		}
		if err != nil {
			var fe *apperr.Error
			if !errors.As(err, &fe) || (fe.Kind != apperr.Invalid && fe.Kind != apperr.Unauthorized) {
				t.Fatalf("refused with %v, want a 400 or 401 *apperr.Error", err)
			}
			return
		}
		// Accepted: only spellings of the same request may pass (header
		// white space, parameter order and quoting, base64 line breaks).
		p, perr := httpsig.ParseSignature(sig)
		switch {
		case signer.IRI != peer.IRI:
			t.Fatalf("accepted as %s", signer.IRI)
		case !bytes.Equal(b, body):
			t.Fatalf("accepted another body %q", b)
		case strings.TrimSpace(digest) != digest0:
			t.Fatalf("accepted another Digest %q", digest)
		case strings.TrimSpace(date) != date0:
			t.Fatalf("accepted another Date %q", date)
		case perr != nil || p.KeyID != p0.KeyID || !slices.Equal(p.Headers, p0.Headers):
			t.Fatalf("accepted another signature %q", sig)
		case !bytes.Equal(signatureBytes(sig), raw0):
			t.Fatalf("accepted other signature bytes in %q", sig)
		}
	})
}

// verifyInTwoSteps verifies as VerifySignature and Signed.CheckBody do.
func verifyInTwoSteps(v *verifier, r *http.Request, body []byte) (models.Actor, error) {
	p, err := v.check(r, r.ContentLength != 0)
	if err != nil {
		return models.Actor{}, err
	}
	signer, err := v.verifySigned(context.Background(), r, p)
	if err != nil {
		return models.Actor{}, err
	}
	return Signed{signer: signer, params: p}.CheckBody(body)
}

// signatureBytes decodes the signature parameter as go-fed does.
func signatureBytes(sig string) []byte {
	var last []byte
	for _, part := range strings.Split(sig, ",") {
		if k, v, ok := strings.Cut(part, "="); ok && k == "signature" {
			last, _ = base64.StdEncoding.DecodeString(strings.Trim(v, `"`))
		}
	}
	return last
}
