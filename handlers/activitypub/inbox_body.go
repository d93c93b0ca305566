package activitypub

import (
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
)

// How long a signed inbox request may wait for a free body slot, and how
// long its body may then take to arrive.
const (
	inboxSlotWait    = 5 * time.Second
	inboxBodyTimeout = 10 * time.Second
)

// bodySlots bounds the inbox bodies read at once: at most limit over all
// clients and a quarter of that (at least one) from one address, so that
// held-open bodies cannot take the node's memory, nor one sender every
// slot.
type bodySlots struct {
	all     chan struct{}
	perAddr int

	mu     sync.Mutex
	byAddr map[string]int
}

func newBodySlots(limit int) *bodySlots {
	return &bodySlots{all: make(chan struct{}, limit), perAddr: max(1, limit/4), byAddr: map[string]int{}}
}

// read reads the request's body into a buffer of its size, holding a slot
// meanwhile. It returns a 503 *apperr.Error (with Retry-After) when no slot is
// free in time or the sender's address already holds its share, a 413
// when the body is over request.MaxBody, and a 408 when it does not arrive within
// inboxBodyTimeout.
func (s *bodySlots) read(c echo.Context) ([]byte, error) {
	addr := c.RealIP()
	release, err := s.acquire(c, addr)
	if err != nil {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(inboxSlotWait/time.Second)))
		return nil, err
	}
	defer release()
	r := c.Request()
	_ = http.NewResponseController(c.Response().Writer).SetReadDeadline(time.Now().Add(inboxBodyTimeout))
	var body []byte
	switch {
	case r.ContentLength > request.MaxBody:
		return nil, echo.ErrStatusRequestEntityTooLarge
	case r.ContentLength > 0:
		// One allocation of the announced size: the server ends the body
		// there.
		body = make([]byte, r.ContentLength)
		_, err = io.ReadFull(r.Body, body)
	default:
		body, err = io.ReadAll(io.LimitReader(r.Body, request.MaxBody+1))
		if err == nil && len(body) > request.MaxBody {
			return nil, echo.ErrStatusRequestEntityTooLarge
		}
	}
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		return nil, he
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, apperr.Errorf(apperr.Timeout, "the body did not arrive within %s", inboxBodyTimeout)
	case err != nil:
		return nil, apperr.Errorf(apperr.Invalid, "the body could not be read")
	}
	return body, nil
}

// acquire takes a slot for addr, waiting at most inboxSlotWait.
func (s *bodySlots) acquire(c echo.Context, addr string) (func(), error) {
	s.mu.Lock()
	if s.byAddr[addr] >= s.perAddr {
		s.mu.Unlock()
		return nil, apperr.Errorf(apperr.Unavailable, "too many activities from %s are being received at once: try again shortly", addr)
	}
	s.byAddr[addr]++
	s.mu.Unlock()
	leave := func() {
		s.mu.Lock()
		if s.byAddr[addr]--; s.byAddr[addr] <= 0 {
			delete(s.byAddr, addr)
		}
		s.mu.Unlock()
	}
	t := time.NewTimer(inboxSlotWait)
	defer t.Stop()
	select {
	case s.all <- struct{}{}:
		return func() { <-s.all; leave() }, nil
	case <-t.C:
		leave()
		return nil, apperr.Errorf(apperr.Unavailable, "the inbox is busy: try again shortly")
	case <-c.Request().Context().Done():
		leave()
		return nil, apperr.Errorf(apperr.Unavailable, "the request ended while waiting for the inbox")
	}
}
