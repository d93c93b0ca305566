package httpsig

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	gofed "github.com/go-fed/httpsig"
)

// MaxClockSkew is how far a signed request's Date may be from the node's
// clock, either way, as Mastodon allows.
const MaxClockSkew = time.Hour

// Params are the parts of a Signature header checked here, and the
// SHA-256 sum the Digest header gives, if it has one.
type Params struct {
	KeyID     string
	Algorithm string
	// Headers are the signed header names, in lower case.
	Headers   []string
	digest    []byte
	hasDigest bool
}

// Check does every check of a request that needs neither the key nor the
// body, cheapest first, so that a stale, misdirected or malformed request
// never makes the node fetch anything: one Signature header, rsa-sha256 or
// hs2019, covering (request-target), host, date and, for a request with a
// body (hasBody, or a POST, PUT or PATCH), digest; signed for host (as
// NormalHost gives it for the node's scheme); a Date within MaxClockSkew of
// now; a SHA-256 Digest. It returns an *Error of kind ErrMalformed,
// ErrUnsigned, ErrBadSignature, ErrWrongHost, ErrExpired or ErrBadDigest.
func Check(r *http.Request, hasBody bool, host, scheme string, now time.Time) (Params, error) {
	values := r.Header.Values("Signature")
	switch {
	case len(values) == 0:
		return Params{}, refuse(ErrUnsigned, "the request is not signed (no Signature header)", nil)
	case len(values) > 1:
		return Params{}, refuse(ErrMalformed, "the request has more than one Signature header", nil)
	}
	p, err := ParseSignature(values[0])
	if err != nil {
		return p, err
	}
	switch strings.ToLower(p.Algorithm) {
	case "", "hs2019", "rsa-sha256":
	default:
		return p, refuse(ErrBadSignature, "unsupported signature algorithm "+Quote(p.Algorithm)+" (rsa-sha256 and hs2019 are)", nil)
	}
	needDigest := hasBody || r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch
	for _, h := range []string{gofed.RequestTarget, "host", "date", "digest"} {
		if h == "digest" && !needDigest {
			continue
		}
		if !slices.Contains(p.Headers, h) {
			return p, refuse(ErrUnsigned, "the signature does not cover "+h+" (signed: "+strings.Join(p.Headers, " ")+")", nil)
		}
	}
	if got := NormalHost(r.Host, scheme); host == "" || got != host {
		return p, refuse(ErrWrongHost, "the request is signed for the host "+Quote(r.Host)+", not for this node ("+host+")", nil)
	}
	if err := checkDate(r, now); err != nil {
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

// NormalHost is host in lower case, without a trailing dot or the default
// port of scheme: how a request signed for a node names its host.
func NormalHost(host, scheme string) string {
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

func checkDate(r *http.Request, now time.Time) error {
	values := r.Header.Values("Date")
	if len(values) != 1 {
		return refuse(ErrMalformed, "the request needs exactly one Date header", nil)
	}
	date, err := http.ParseTime(values[0])
	if err != nil {
		return refuse(ErrMalformed, "the Date header is not an HTTP date", err)
	}
	switch {
	case date.Before(now.Add(-MaxClockSkew)):
		return refuse(ErrExpired, "the Date is more than an hour old ("+values[0]+"): the request is stale", nil)
	case date.After(now.Add(MaxClockSkew)):
		return refuse(ErrExpired, "the Date is more than an hour in the future ("+values[0]+")", nil)
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
		return nil, refuse(ErrBadDigest, "the request has a body but no Digest header", nil)
	case len(values) > 1:
		return nil, refuse(ErrMalformed, "the request has more than one Digest header", nil)
	}
	var found []string
	for _, part := range strings.Split(values[0], ",") {
		algo, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || algo == "" {
			return nil, refuse(ErrMalformed, "the Digest header is not algorithm=value", nil)
		}
		found = append(found, algo)
		if !strings.EqualFold(algo, "SHA-256") {
			continue
		}
		want, err := base64.StdEncoding.DecodeString(value)
		if err != nil || len(want) != sha256.Size {
			return nil, refuse(ErrMalformed, "the SHA-256 Digest is not a base64 SHA-256 sum", err)
		}
		return want, nil
	}
	return nil, refuse(ErrBadDigest, "unsupported Digest algorithm "+Quote(strings.Join(found, ", "))+": SHA-256 is required", nil)
}

// CheckBody checks body against the Digest read by Check, if there was
// one. It returns an *Error of kind ErrBadDigest when they differ, or when
// there is a body and there was no Digest.
func (p Params) CheckBody(body []byte) error {
	if !p.hasDigest {
		if len(body) > 0 {
			return refuse(ErrBadDigest, "the request has a body but no Digest header", nil)
		}
		return nil
	}
	got := sha256.Sum256(body)
	if subtle.ConstantTimeCompare(p.digest, got[:]) != 1 {
		return refuse(ErrBadDigest, "the Digest does not match the body", nil)
	}
	return nil
}

// ParseSignature reads a Signature header exactly as go-fed/httpsig does
// (comma-separated key="value" pairs, the last of a name winning, headers
// defaulting to "date"), so that the header list checked here is the one
// go-fed verifies. It returns an *Error of kind ErrMalformed for a
// malformed header.
func ParseSignature(s string) (Params, error) {
	var p Params
	var sig string
	headers := "date"
	for _, part := range strings.Split(s, ",") {
		k, val, ok := strings.Cut(part, "=")
		if !ok {
			return p, refuse(ErrMalformed, "the Signature header is not a list of key=\"value\" pairs", nil)
		}
		val = strings.Trim(val, `"`)
		switch k {
		case "keyId":
			p.KeyID = val
		case "algorithm":
			p.Algorithm = val
		case "headers":
			headers = val
		case "signature":
			sig = val
		}
	}
	switch {
	case p.KeyID == "":
		return p, refuse(ErrMalformed, "the Signature header has no keyId", nil)
	case sig == "":
		return p, refuse(ErrMalformed, "the Signature header has no signature", nil)
	}
	if !utf8.ValidString(p.KeyID) {
		return p, refuse(ErrMalformed, "the keyId is not valid UTF-8", nil)
	}
	if u, err := url.Parse(p.KeyID); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return p, refuse(ErrMalformed, "the keyId "+Quote(p.KeyID)+" is not an http or https URL", err)
	}
	for _, h := range strings.Split(headers, " ") {
		p.Headers = append(p.Headers, strings.ToLower(h))
	}
	return p, nil
}

// Quote shows a remote value in a message: quoted, shortened to 80 bytes
// and made valid UTF-8.
func Quote(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	var b bytes.Buffer
	b.WriteByte('"')
	b.WriteString(strings.ToValidUTF8(s, "?"))
	b.WriteByte('"')
	return b.String()
}
