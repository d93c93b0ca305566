package access

import (
	"slices"
	"strings"
)

// Scopes are OAuth scopes as Mastodon names them: the top-level read,
// write, follow, push and profile, and the granular ones (read:statuses,
// write:follows, …).
type Scopes []string

// granular lists, for read and write, what may follow the colon.
var granular = map[string][]string{
	"read": {"accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists", "mutes",
		"notifications", "search", "statuses"},
	"write": {"accounts", "blocks", "bookmarks", "conversations", "favourites", "filters", "follows",
		"lists", "media", "mutes", "notifications", "reports", "statuses"},
}

// followImplies are the granular scopes the deprecated follow scope
// grants, as on Mastodon.
var followImplies = []string{"read:blocks", "write:blocks", "read:follows", "write:follows", "read:mutes", "write:mutes"}

// AllScopes are every scope the node knows, top-level first: what
// /.well-known/oauth-authorization-server lists.
func AllScopes() Scopes {
	all := Scopes{"read", "write", "follow", "push", "profile"}
	for _, top := range []string{"read", "write"} {
		for _, g := range granular[top] {
			all = append(all, top+":"+g)
		}
	}
	return all
}

// knownScope reports whether s is a scope the node knows.
func knownScope(s string) bool {
	switch s {
	case "read", "write", "follow", "push", "profile":
		return true
	}
	top, sub, ok := strings.Cut(s, ":")
	return ok && slices.Contains(granular[top], sub)
}

// ParseScopes reads scopes separated by spaces (or by +, as some clients
// send them unencoded), without repeats; "" gives none. It returns an
// *OAuthError invalid_scope naming the first scope it does not know.
func ParseScopes(s string) (Scopes, error) {
	var out Scopes
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '+' || r == '\t' || r == '\n' }) {
		if !knownScope(f) {
			return nil, oauthErrorf(ErrInvalidScope, "the scope %q is not one this server knows", clip(f, 64))
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// String is the scopes separated by spaces, as OAuth writes them.
func (s Scopes) String() string { return strings.Join(s, " ") }

// Allows reports whether the scopes grant want: a scope grants itself;
// read and write grant each of their granular scopes; follow grants
// reading and writing follows, blocks and mutes; read and read:accounts
// grant profile (the scope of verify_credentials alone).
func (s Scopes) Allows(want string) bool {
	for _, held := range s {
		if held == want {
			return true
		}
		top, _, granularWant := strings.Cut(want, ":")
		switch {
		case granularWant && held == top:
			return true
		case held == "follow" && slices.Contains(followImplies, want):
			return true
		case want == "profile" && (held == "read" || held == "read:accounts"):
			return true
		}
	}
	return false
}

// Within reports whether every scope of s is granted by other.
func (s Scopes) Within(other Scopes) bool {
	for _, want := range s {
		if !other.Allows(want) {
			return false
		}
	}
	return true
}

// clip cuts s to at most n bytes, for quoting client input in a message.
func clip(s string, n int) string {
	if len(s) > n {
		return strings.ToValidUTF8(s[:n], "") + "…"
	}
	return s
}
