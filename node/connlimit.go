package node

import (
	"net"
	"net/netip"
	"sync"
)

// perAddressListener closes, as soon as they are accepted, connections from
// an address that already holds max open ones, so that one client cannot
// take every connection (and the memory each costs). Trusted proxies,
// which carry many clients' connections, are not limited.
type perAddressListener struct {
	net.Listener
	max     int
	trusted func(netip.Addr) bool

	mu   sync.Mutex
	open map[netip.Addr]int
}

func limitPerAddress(l net.Listener, max int, trusted func(netip.Addr) bool) net.Listener {
	if max <= 0 {
		return l
	}
	return &perAddressListener{Listener: l, max: max, trusted: trusted, open: map[netip.Addr]int{}}
}

// Accept returns the next connection whose address is within its share.
func (l *perAddressListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ap, err := netip.ParseAddrPort(c.RemoteAddr().String())
		if err != nil || l.trusted(ap.Addr().Unmap()) {
			return c, nil
		}
		addr := ap.Addr().Unmap()
		l.mu.Lock()
		full := l.open[addr] >= l.max
		if !full {
			l.open[addr]++
		}
		l.mu.Unlock()
		if full {
			_ = c.Close()
			continue
		}
		return &countedConn{Conn: c, release: func() { l.release(addr) }}, nil
	}
}

func (l *perAddressListener) release(addr netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[addr]--; l.open[addr] <= 0 {
		delete(l.open, addr)
	}
}

// countedConn gives its address's place back when it is closed.
type countedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

// Close closes the connection and, the first time, frees its place.
func (c *countedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
