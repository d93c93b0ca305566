package auth

import (
	"net/url"
	"strings"
)

// LocalPath returns next when it is a path on this site to send a browser
// to after sign-in ("/oauth/authorize?client_id=…"), and "" otherwise: an
// absolute URL, a scheme-relative one (//evil.example), a backslash
// (which browsers read as a slash), a control character or anything longer
// than 2,000 bytes is refused.
func LocalPath(next string) string {
	if next == "" || len(next) > 2000 || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\") {
		return ""
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") {
		return ""
	}
	return next
}
