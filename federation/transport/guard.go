package transport

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// nonPublic lists the ranges, beyond what net.IP's predicates name, that are
// not the public internet: shared address space (CGNAT), IETF protocol
// assignments, documentation and benchmarking networks, the reserved and
// broadcast block, and IPv6 prefixes that embed or translate IPv4.
var nonPublic = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
		"198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4",
		"64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001:db8::/32", "2002::/16", "fec0::/10",
	} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

// checkPublicIP refuses every address that is not on the public internet:
// loopback, private, link-local, unspecified, multicast and the reserved
// ranges above, IPv4-mapped IPv6 included. It returns ErrPrivateAddress
// (wrapped) naming the address.
func checkPublicIP(ip net.IP) error {
	addr, ok := netip.AddrFromSlice(ip)
	if !ok {
		return fmt.Errorf("%w: %q is not an IP address", ErrPrivateAddress, ip)
	}
	addr = addr.Unmap()
	bad := addr.IsLoopback() || addr.IsPrivate() || addr.IsLinkLocalUnicast() ||
		addr.IsLinkLocalMulticast() || addr.IsInterfaceLocalMulticast() ||
		addr.IsMulticast() || addr.IsUnspecified()
	for _, p := range nonPublic {
		if bad {
			break
		}
		bad = p.Contains(addr)
	}
	if bad {
		return fmt.Errorf("%w (%s)", ErrPrivateAddress, addr)
	}
	return nil
}

// SameOrigin reports whether to is on from's origin: the same host and
// port under the same scheme, or an upgrade from http on port 80 to https
// on port 443 of the same host. A redirect within the origin is followed;
// any other is refused.
func SameOrigin(from, to *url.URL) bool {
	if from == nil || to == nil || from.Hostname() == "" || !strings.EqualFold(from.Hostname(), to.Hostname()) {
		return false
	}
	fs, ts := strings.ToLower(from.Scheme), strings.ToLower(to.Scheme)
	switch {
	case fs == ts:
		return effectivePort(from) == effectivePort(to)
	case fs == "http" && ts == "https":
		return effectivePort(from) == "80" && effectivePort(to) == "443"
	}
	return false
}

// SameOriginIRI is SameOrigin for two URLs as strings; false when either
// cannot be parsed.
func SameOriginIRI(from, to string) bool {
	f, err1 := url.Parse(from)
	t, err2 := url.Parse(to)
	return err1 == nil && err2 == nil && SameOrigin(f, t)
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
