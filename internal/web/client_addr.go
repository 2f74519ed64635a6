package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientAddr is the address of a request's client, as text (see clientIP).
func (s *Server) clientAddr(r *http.Request) string {
	if ip := s.clientIP(r); ip.IsValid() {
		return ip.String()
	}
	return r.RemoteAddr
}

// clientIP is the address of a request's client: the peer's address, or behind a trusted load
// balancer the address it adds to X-Forwarded-For. With TRUSTED_PROXIES, the header is believed
// only from those proxies, and the client is the last address in it that is not one of them (a
// chain of trusted proxies each adds one); with TRUST_PROXY alone, it is the last address. A
// client cannot choose its address by sending the header itself: the entries it sent come first.
func (s *Server) clientIP(r *http.Request) netip.Addr {
	peer := peerIP(r)
	if !s.cfg.TrustProxy || (len(s.cfg.TrustedProxies) > 0 && !s.trusted(peer)) {
		return peer
	}
	var entries []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		entries = append(entries, strings.Split(v, ",")...)
	}
	for i := len(entries) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(strings.TrimSpace(entries[i]))
		if err != nil {
			return peer // a malformed entry: believe nothing before it
		}
		ip = ip.Unmap()
		if len(s.cfg.TrustedProxies) == 0 || !s.trusted(ip) || i == 0 {
			return ip
		}
	}
	return peer
}

// trusted reports whether ip is one of the trusted proxies.
func (s *Server) trusted(ip netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// peerIP is the address of the peer that connected to us.
func peerIP(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return ip.Unmap()
}
