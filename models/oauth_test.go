package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

func TestOAuthAppsCodesTokens(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)

		app := models.OAuthApp{Name: "Tusky", ClientID: "cid", SecretHash: "sh", RedirectURIs: "urn:ietf:wg:oauth:2.0:oob", Scopes: "read write"}
		if err := s.Apps.Create(ctx, &app); err != nil {
			t.Fatal(err)
		}
		if err := s.Apps.Create(ctx, &models.OAuthApp{Name: "Other", ClientID: "cid", SecretHash: "x"}); !errors.Is(err, models.ErrConflict) {
			t.Errorf("create with a taken client ID: %v, want ErrConflict", err)
		}
		if got, err := s.Apps.ByClientID(ctx, "cid"); err != nil || got.ID != app.ID {
			t.Errorf("ByClientID = %+v, %v", got, err)
		}
		if _, err := s.Apps.ByClientID(ctx, "nope"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ByClientID(unknown): %v, want ErrNotFound", err)
		}
		u := models.User{Email: "asha@example.org", PasswordHash: "h", Role: "admin"}
		if err := s.Users.Create(ctx, &u); err != nil {
			t.Fatal(err)
		}

		code := models.OAuthCode{Hash: "code-1", AppID: app.ID, UserID: u.ID, RedirectURI: "urn:ietf:wg:oauth:2.0:oob", Scopes: "read", ExpiresAt: time.Now().Add(time.Hour)}
		if err := s.OAuthCodes.Create(ctx, &code); err != nil {
			t.Fatal(err)
		}
		got, err := s.OAuthCodes.ByHash(ctx, "code-1")
		if err != nil || got.ID != code.ID || got.UserID != u.ID {
			t.Fatalf("codes ByHash = %+v, %v", got, err)
		}
		if err := s.OAuthCodes.Use(ctx, code.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.OAuthCodes.Use(ctx, code.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Use twice: %v, want ErrNotFound", err)
		}
		if _, err := s.OAuthCodes.ByHash(ctx, "code-1"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ByHash(used): %v, want ErrNotFound", err)
		}
		old := models.OAuthCode{Hash: "code-2", AppID: app.ID, UserID: u.ID, ExpiresAt: time.Now().Add(-time.Hour)}
		if err := s.OAuthCodes.Create(ctx, &old); err != nil {
			t.Fatal(err)
		}
		if n, err := s.OAuthCodes.Purge(ctx, time.Now()); err != nil || n != 1 {
			t.Errorf("Purge = %d, %v; want 1", n, err)
		}

		userTok := models.OAuthToken{Hash: "tok-user", AppID: app.ID, UserID: &u.ID, Scopes: "read"}
		appTok := models.OAuthToken{Hash: "tok-app", AppID: app.ID, Scopes: "read"}
		for _, tok := range []*models.OAuthToken{&userTok, &appTok} {
			if err := s.OAuthTokens.Create(ctx, tok); err != nil {
				t.Fatal(err)
			}
		}
		row, err := s.OAuthTokens.Active(ctx, "tok-user")
		if err != nil || row.User.ID != u.ID || row.App.Name != "Tusky" || row.Token.Scopes != "read" {
			t.Fatalf("Active = %+v, %v", row, err)
		}
		if row, err := s.OAuthTokens.Active(ctx, "tok-app"); err != nil || row.User.ID != 0 {
			t.Errorf("Active(app's own) = %+v, %v", row, err)
		}
		if _, err := s.OAuthTokens.Active(ctx, "tok-unknown"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Active(unknown): %v, want ErrNotFound", err)
		}

		mine, err := s.OAuthTokens.OfUser(ctx, u.ID)
		if err != nil || len(mine) != 1 || mine[0].Token.ID != userTok.ID || mine[0].App.Name != "Tusky" {
			t.Errorf("OfUser = %+v, %v; want the user's token only", mine, err)
		}
		if err := s.OAuthTokens.RevokeOfUser(ctx, u.ID+1, userTok.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("RevokeOfUser(another user): %v, want ErrNotFound", err)
		}
		if err := s.OAuthTokens.RevokeOfUser(ctx, u.ID, appTok.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("RevokeOfUser(the app's own token): %v, want ErrNotFound", err)
		}

		// Another app cannot revoke the token; its own app can.
		if err := s.OAuthTokens.RevokeOfApp(ctx, app.ID+1, "tok-app"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.OAuthTokens.Active(ctx, "tok-app"); err != nil {
			t.Errorf("Active after another app's revoke: %v", err)
		}
		if err := s.OAuthTokens.RevokeOfApp(ctx, app.ID, "tok-app"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.OAuthTokens.Active(ctx, "tok-app"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Active(revoked): %v, want ErrNotFound", err)
		}

		// A disabled user's token is not active.
		if err := s.Users.Disable(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.OAuthTokens.Active(ctx, "tok-user"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Active(disabled user's): %v, want ErrNotFound", err)
		}
		if n, err := s.OAuthTokens.RevokeUser(ctx, u.ID); err != nil || n != 1 {
			t.Errorf("RevokeUser = %d, %v; want 1", n, err)
		}
		list, err := s.OAuthTokens.List(ctx)
		if err != nil || len(list) != 2 || list[0].User.Email != "asha@example.org" || list[0].App.Name != "Tusky" || list[0].Token.RevokedAt == nil {
			t.Errorf("List = %+v, %v", list, err)
		}
		if err := s.OAuthTokens.Revoke(ctx, userTok.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Revoke(revoked): %v, want ErrNotFound", err)
		}
	})
}
