package main

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/node"
	"github.com/pollen-coop/pollen/service/access"
)

// TestTokenCommandsShowOAuthTokens: token list shows the apps' OAuth
// tokens after the admin tokens, and token revoke --oauth revokes one.
func TestTokenCommandsShowOAuthTokens(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("POLLEN_CONFIG", "")
	t.Setenv("POLLEN_BASE_URL", "http://localhost:8080")
	if out, err := runUsers(t, dir, "correct horse battery staple\n", "users", "create", "--email", "asha@example.org", "--role", "admin", "--password-stdin"); err != nil {
		t.Fatalf("users create: %v\n%s", err, out)
	}

	// An app gets a token for the user, through the service.
	ctx := context.Background()
	cfg := config.Default()
	cfg.BaseURL, _ = url.Parse("http://localhost:8080")
	cfg.DataDir, cfg.DatabaseURL = dir, filepath.Join(dir, "pollen.db")
	n, err := node.OpenStore(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	app, err := n.OAuth.CreateApp(ctx, access.AppInput{Name: "Tusky", RedirectURIs: []string{access.OOB}, Scopes: "read write"})
	if err != nil {
		t.Fatal(err)
	}
	users, _ := n.Accounts.ListUsers(ctx)
	consent, err := n.OAuth.CheckAuthorize(ctx, access.AuthorizeRequest{ClientID: app.ClientID, RedirectURI: access.OOB, ResponseType: "code", Scope: "read"})
	if err != nil {
		t.Fatal(err)
	}
	code, err := n.OAuth.Grant(ctx, consent, users[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := n.OAuth.Exchange(ctx, access.TokenRequest{GrantType: "authorization_code", ClientID: app.ClientID, ClientSecret: app.ClientSecret, Code: code})
	if err != nil {
		t.Fatal(err)
	}
	n.Close()

	out, err := runUsers(t, dir, "", "token", "list")
	if err != nil || !strings.Contains(out, "Tusky") || !strings.Contains(out, "asha@example.org") || strings.Contains(out, tok.AccessToken) {
		t.Fatalf("token list: %v\n%s", err, out)
	}
	id := strconv.FormatInt(1, 10)
	if out, err := runUsers(t, dir, "", "token", "revoke", "--oauth", id); err != nil || !strings.Contains(out, "revoked OAuth token 1") {
		t.Fatalf("token revoke --oauth: %v\n%s", err, out)
	}
	if out, _ := runUsers(t, dir, "", "token", "list"); !strings.Contains(out, "revoked ") {
		t.Errorf("token list after revoke:\n%s", out)
	}
	if _, err := runUsers(t, dir, "", "token", "revoke", "--oauth", id); err == nil {
		t.Error("revoking a revoked OAuth token succeeded")
	}
}
