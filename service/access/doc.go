// Package access holds who may use the node and how they prove it: the
// staff's user accounts (Argon2id passwords, the common-password list,
// throttled sign-in) and their sessions, the admin API tokens, and the
// OAuth 2 server that Mastodon clients log in through (apps, single-use
// codes bound to client, redirect URI and S256 PKCE, hashed tokens,
// Mastodon's scopes). Like package service, it checks what it is given and
// reads and writes through the store; its errors are *apperr.Error values
// and the store's sentinels.
package access
