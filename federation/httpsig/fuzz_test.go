package httpsig_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pollen-coop/pollen/federation/httpsig"
)

// FuzzCheck mutates the Signature, Digest and Date headers and the body of
// a signed POST. Check, CheckBody and Verify must never panic, must refuse
// only with an *Error of a kind and a message, and must never accept
// another body. The whole verifier, with its key lookup, is fuzzed by
// FuzzVerifyRequest in package federation. Run with
//
//	go test ./federation/httpsig -run '^$' -fuzz FuzzCheck -fuzztime 60s
func FuzzCheck(f *testing.F) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		f.Fatal(err)
	}
	body := []byte(`{"type":"Follow"}`)
	r := httptest.NewRequest(http.MethodPost, "https://pollen.example/inbox", bytes.NewReader(body))
	if err := httpsig.Sign(r, httpsig.Key{KeyID: keyID, Key: key}, body, now); err != nil {
		f.Fatal(err)
	}
	f.Add(r.Header.Get("Signature"), r.Header.Get("Digest"), r.Header.Get("Date"), body)
	kinds := []error{httpsig.ErrMalformed, httpsig.ErrUnsigned, httpsig.ErrWrongHost, httpsig.ErrExpired, httpsig.ErrBadDigest, httpsig.ErrBadSignature}
	refused := func(t *testing.T, err error) {
		t.Helper()
		var e *httpsig.Error
		if !errors.As(err, &e) || e.Message == "" {
			t.Fatalf("refusal is not an *Error with a message: %v", err)
		}
		for _, k := range kinds {
			if errors.Is(err, k) {
				return
			}
		}
		t.Fatalf("refusal of no known kind: %v", err)
	}
	f.Fuzz(func(t *testing.T, sig, digest, date string, b []byte) {
		r := httptest.NewRequest(http.MethodPost, "https://pollen.example/inbox", bytes.NewReader(b))
		r.Header["Signature"] = []string{sig}
		r.Header["Digest"] = []string{digest}
		r.Header["Date"] = []string{date}
		p, err := httpsig.Check(r, true, "pollen.example", "https", now)
		if err != nil {
			refused(t, err)
			return
		}
		if err := p.CheckBody(b); err != nil {
			refused(t, err)
			return
		}
		if err := httpsig.Verify(r, &key.PublicKey, p.KeyID); err != nil {
			refused(t, err)
			return
		}
		if !bytes.Equal(b, body) {
			t.Fatalf("accepted another body %q", b)
		}
	})
}
