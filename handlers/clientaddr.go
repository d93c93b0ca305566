package handlers

import (
	"crypto/rand"
	"net"
	"net/http"
	"net/netip"
	"regexp"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/config"
)

// clientIP returns the extractor echo's RealIP uses: the peer's own
// address, unless the peer is a trusted proxy, in which case the address
// its X-Forwarded-For names (the right-most one no trusted proxy added).
// No loopback, private or link-local range is trusted unless configured.
func clientIP(cfg config.Config) echo.IPExtractor {
	if len(cfg.TrustedProxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range cfg.TrustedProxies {
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// fromTrustedProxy reports whether the request came straight from one of
// the trusted proxies.
func fromTrustedProxy(cfg config.Config, r *http.Request) bool {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	return err == nil && cfg.TrustsProxy(ap.Addr())
}

// requestIDPattern is what an X-Request-Id from a trusted proxy may be.
var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// setRequestID gives every request an id, made here, and answers with it
// in X-Request-Id. Only a trusted proxy's own X-Request-Id is kept, and
// only when it is short and plain ([A-Za-z0-9._-], at most 64): a client
// cannot choose, or forge, what the log says.
func (h *Handler) setRequestID(next echo.HandlerFunc) echo.HandlerFunc {
	cfg := h.cfg
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if id == "" || !requestIDPattern.MatchString(id) || !fromTrustedProxy(cfg, c.Request()) {
			id = rand.Text()
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}
