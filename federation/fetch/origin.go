package fetch

import (
	"net/url"
	"strings"
)

// sameOrigin reports whether to is on from's origin, as the transport
// judges a redirect: the same host and port under the same scheme, or an
// upgrade from http on port 80 to https on port 443 of the same host;
// false when either cannot be parsed.
func sameOrigin(from, to string) bool {
	f, err1 := url.Parse(from)
	t, err2 := url.Parse(to)
	if err1 != nil || err2 != nil || f.Hostname() == "" || !strings.EqualFold(f.Hostname(), t.Hostname()) {
		return false
	}
	fs, ts := strings.ToLower(f.Scheme), strings.ToLower(t.Scheme)
	switch {
	case fs == ts:
		return effectivePort(f) == effectivePort(t)
	case fs == "http" && ts == "https":
		return effectivePort(f) == "80" && effectivePort(t) == "443"
	}
	return false
}

// effectivePort is u's port, or its scheme's default one.
func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}
