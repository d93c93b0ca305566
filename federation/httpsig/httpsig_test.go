package httpsig_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation/httpsig"
)

const keyID = "https://peer.example/actors/org#main-key"

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// TestSignCheckVerify signs a POST and checks each kind of refusal, from
// the request as signed and from one changed after signing.
func TestSignCheckVerify(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"type":"Follow"}`)
	signed := func(t *testing.T, date time.Time) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "https://pollen.example/inbox", bytes.NewReader(body))
		if err := httpsig.Sign(r, httpsig.Key{KeyID: keyID, Key: key}, body, date); err != nil {
			t.Fatal(err)
		}
		return r
	}
	check := func(r *http.Request) (httpsig.Params, error) {
		return httpsig.Check(r, true, "pollen.example", "https", now)
	}

	r := signed(t, now)
	if r.Header.Get("Digest") != httpsig.Digest(body) {
		t.Errorf("Digest = %q", r.Header.Get("Digest"))
	}
	p, err := check(r)
	if err != nil || p.KeyID != keyID {
		t.Fatalf("Check = %+v, %v", p, err)
	}
	if err := p.CheckBody(body); err != nil {
		t.Errorf("CheckBody: %v", err)
	}
	if err := httpsig.Verify(r, &key.PublicKey, keyID); err != nil {
		t.Errorf("Verify: %v", err)
	}

	cases := []struct {
		name string
		err  func(t *testing.T) error
		kind error
	}{
		{"unsigned", func(t *testing.T) error {
			r := signed(t, now)
			r.Header.Del("Signature")
			_, err := check(r)
			return err
		}, httpsig.ErrUnsigned},
		{"two signatures", func(t *testing.T) error {
			r := signed(t, now)
			r.Header.Add("Signature", r.Header.Get("Signature"))
			_, err := check(r)
			return err
		}, httpsig.ErrMalformed},
		{"another host", func(t *testing.T) error {
			_, err := httpsig.Check(signed(t, now), true, "other.example", "https", now)
			return err
		}, httpsig.ErrWrongHost},
		{"stale", func(t *testing.T) error {
			_, err := check(signed(t, now.Add(-httpsig.MaxClockSkew-time.Minute)))
			return err
		}, httpsig.ErrExpired},
		{"future", func(t *testing.T) error {
			_, err := check(signed(t, now.Add(httpsig.MaxClockSkew+time.Minute)))
			return err
		}, httpsig.ErrExpired},
		{"other body", func(t *testing.T) error {
			p, err := check(signed(t, now))
			if err != nil {
				t.Fatal(err)
			}
			return p.CheckBody([]byte(`{"type":"Undo"}`))
		}, httpsig.ErrBadDigest},
		{"other key", func(t *testing.T) error {
			return httpsig.Verify(signed(t, now), &other.PublicKey, keyID)
		}, httpsig.ErrBadSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.err(t)
			var e *httpsig.Error
			if !errors.Is(err, tc.kind) || !errors.As(err, &e) || e.Message == "" {
				t.Errorf("err = %v, want %v with a message", err, tc.kind)
			}
		})
	}
}
