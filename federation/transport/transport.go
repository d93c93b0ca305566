// Package transport is the node's one HTTP client for outgoing requests:
// it signs every request (federation/httpsig), names Pollen in User-Agent,
// applies timeouts and size limits, refuses private network addresses and
// follows redirects only within the origin asked. Its clock is injected.
package transport

import (
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"syscall"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/models"
)

// Limits on what the transport reads back.
const (
	// MaxDocumentSize is the largest ActivityStreams or WebFinger document
	// the node reads.
	MaxDocumentSize = 1 << 20
	// maxReplySize is how much of the answer to a POST is kept.
	maxReplySize = 64 << 10
	// maxRedirects is how many redirects one request follows.
	maxRedirects = 5
)

// AcceptActivity is the Accept header of every ActivityStreams GET.
const AcceptActivity = ap.MediaTypeActivity + ", " + ap.MediaTypeLDJSON

// Transport errors; check them with errors.Is.
var (
	// ErrPrivateAddress means a request was refused because the host
	// resolved to a loopback, private, link-local, unspecified or multicast
	// address and private networks are not allowed.
	ErrPrivateAddress = errors.New("transport: refusing to connect to a private network address")
	// ErrTooLarge means an answer was longer than the limit.
	ErrTooLarge = errors.New("transport: the answer is too large")
	// ErrCrossOrigin means a request was redirected to another origin
	// than the URL asked for, and was stopped there: a document found by
	// way of an open redirect on one server must not pass for that
	// server's.
	ErrCrossOrigin = errors.New("transport: refusing a redirect to another origin")
)

// Transport is the node's one HTTP client for outgoing requests. It signs
// every request, names Pollen in User-Agent, applies timeouts and size
// limits, and refuses private network addresses (checked on the resolved
// IP at connect time, redirects included) unless AllowPrivateNetworks is
// set. It is safe for concurrent use.
type Transport struct {
	client    *http.Client
	userAgent string
	now       func() time.Time

	mu   sync.Mutex
	keys map[string]*rsa.PrivateKey // parsed private keys by PEM
}

// Response is an answer read whole (up to the limit asked for).
type Response struct {
	// URL is where the answer came from, after redirects.
	URL    string
	Status int
	Header http.Header
	Body   []byte
}

// New makes the transport for a node with configuration cfg, running
// Pollen version (named in User-Agent), with clock now (the Date it signs).
func New(cfg config.Config, version string, now func() time.Time) *Transport {
	guard := checkPublicIP
	if cfg.AllowPrivateNetworks {
		guard = nil
	}
	return newTransport(cfg, version, now, guard)
}

// newTransport takes the address guard (nil for none): tests allow one
// loopback address to reach a redirect.
func newTransport(cfg config.Config, version string, now func() time.Time, guard func(net.IP) error) *Transport {
	timeout := cfg.HTTPTimeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	dialer := &net.Dialer{Timeout: min(timeout, 10*time.Second), KeepAlive: 30 * time.Second}
	if guard != nil {
		dialer.Control = func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return fmt.Errorf("transport: dial %s: %w", address, err)
			}
			return guard(net.ParseIP(host))
		}
	}
	rt := &http.Transport{
		Proxy:                 nil, // a proxy would hide the address the guard checks
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   min(timeout, 10*time.Second),
		ResponseHeaderTimeout: timeout,
		ExpectContinueTimeout: time.Second,
	}
	ua := "Pollen/" + version
	if cfg.BaseURL != nil {
		ua += " (+" + cfg.BaseURL.String() + ")"
	}
	t := &Transport{userAgent: ua, now: now, keys: map[string]*rsa.PrivateKey{}}
	t.client = &http.Client{Transport: rt, Timeout: timeout, CheckRedirect: checkRedirect}
	return t
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("transport: more than %d redirects", maxRedirects)
	}
	if req.URL.Scheme != "https" && req.URL.Scheme != "http" {
		return fmt.Errorf("transport: redirect to a %q URL", req.URL.Scheme)
	}
	return nil
}

// Get fetches rawURL with a GET signed by signer (a local actor with its
// private key), asking for accept, and reads at most limit bytes of the
// answer. Redirects are followed only within rawURL's origin (its scheme,
// host and port; http may become https on the default ports), so the answer
// comes from the server asked. Any status is returned as a Response. It
// returns ErrCrossOrigin (wrapped) for a redirect elsewhere,
// ErrPrivateAddress (wrapped) for a private address, ErrTooLarge for a
// longer answer, and other errors for bad URLs, keys or network failures.
func (t *Transport) Get(ctx context.Context, signer models.Actor, rawURL, accept string, limit int64) (Response, error) {
	return t.do(ctx, signer, http.MethodGet, rawURL, accept, "", nil, limit, false)
}

// GetAnyOrigin is Get following redirects to other origins too. It is for
// WebFinger, which servers on a split domain (Mastodon's LOCAL_DOMAIN and
// WEB_DOMAIN) redirect to the host that serves it, and never for a document
// that must come from the origin asked. It returns Get's errors but
// ErrCrossOrigin.
func (t *Transport) GetAnyOrigin(ctx context.Context, signer models.Actor, rawURL, accept string, limit int64) (Response, error) {
	return t.do(ctx, signer, http.MethodGet, rawURL, accept, "", nil, limit, true)
}

// Post sends body (ActivityStreams JSON) to rawURL with a POST signed by
// signer, and returns the answer with at most 64 KB of its body. Any status
// is returned as a Response: the caller decides what a 4xx or 5xx means. It
// returns ErrCrossOrigin (wrapped) for a redirect to another origin,
// ErrPrivateAddress (wrapped) for a private address, and other errors for
// bad URLs, keys or network failures.
func (t *Transport) Post(ctx context.Context, signer models.Actor, rawURL string, body []byte) (Response, error) {
	if body == nil {
		body = []byte{}
	}
	return t.do(ctx, signer, http.MethodPost, rawURL, AcceptActivity, ap.MediaTypeActivity, body, maxReplySize, false)
}

func (t *Transport) do(ctx context.Context, signer models.Actor, method, rawURL, accept, contentType string, body []byte, limit int64, anyOrigin bool) (Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return Response{}, fmt.Errorf("transport: %s %q: not an http or https URL", method, rawURL)
	}
	key, err := t.signingKey(signer)
	if err != nil {
		return Response{}, err
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return Response{}, fmt.Errorf("transport: %s %s: %w", method, rawURL, err)
	}
	req.Header.Set("User-Agent", t.userAgent)
	req.Header.Set("Accept", accept)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	// Sign each hop anew: a redirect goes to another target, maybe another
	// host, and the client copies the first hop's headers.
	client := *t.client
	client.CheckRedirect = func(next *http.Request, via []*http.Request) error {
		if err := checkRedirect(next, via); err != nil {
			return err
		}
		if !anyOrigin && !SameOrigin(u, next.URL) {
			return fmt.Errorf("%w: %s redirects to %s", ErrCrossOrigin, u.Redacted(), next.URL.Redacted())
		}
		var b []byte
		if next.Method != http.MethodGet && next.Method != http.MethodHead {
			b = body
		}
		return httpsig.Sign(next, key, b, t.now())
	}
	if err := httpsig.Sign(req, key, body, t.now()); err != nil {
		return Response{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, ErrPrivateAddress) {
			return Response{}, fmt.Errorf("transport: %s %s: %w", method, rawURL, ErrPrivateAddress)
		}
		return Response{}, fmt.Errorf("transport: %s %s: %w", method, rawURL, err)
	}
	defer resp.Body.Close()
	out := Response{URL: resp.Request.URL.String(), Status: resp.StatusCode, Header: resp.Header}
	out.Body, err = readLimited(resp, limit)
	if err != nil {
		return out, fmt.Errorf("transport: %s %s: %w", method, rawURL, err)
	}
	return out, nil
}

// readLimited reads at most limit bytes of the body, or fails with
// ErrTooLarge.
func readLimited(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, resp.ContentLength, limit)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read the answer: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
	}
	return data, nil
}

// signingKey returns signer's parsed private key, parsed once per PEM.
func (t *Transport) signingKey(signer models.Actor) (httpsig.Key, error) {
	if signer.PrivateKeyPEM == "" || signer.KeyID == "" {
		return httpsig.Key{}, fmt.Errorf("transport: %s has no private key to sign with", signer.IRI)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	k, ok := t.keys[signer.PrivateKeyPEM]
	if !ok {
		var err error
		if k, err = httpsig.ParsePrivateKeyPEM(signer.PrivateKeyPEM); err != nil {
			return httpsig.Key{}, err
		}
		if len(t.keys) > 64 {
			clear(t.keys)
		}
		t.keys[signer.PrivateKeyPEM] = k
	}
	return httpsig.Key{KeyID: signer.KeyID, Key: k}, nil
}
