package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

func TestUsers(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)

		u := models.User{Email: " Asha@Example.ORG ", PasswordHash: "h1", Role: "admin"}
		if err := s.Users.Create(ctx, &u); err != nil {
			t.Fatalf("create: %v", err)
		}
		if u.Email != "asha@example.org" {
			t.Errorf("stored email %q, want it folded", u.Email)
		}
		if err := s.Users.Create(ctx, &models.User{Email: "ASHA@example.org", PasswordHash: "h2", Role: "editor"}); !errors.Is(err, models.ErrConflict) {
			t.Errorf("create with the email in another case: %v, want ErrConflict", err)
		}
		got, err := s.Users.ByEmail(ctx, "asha@EXAMPLE.org")
		if err != nil || got.ID != u.ID || got.Role != "admin" {
			t.Fatalf("ByEmail = %+v, %v", got, err)
		}
		if _, err := s.Users.ByEmail(ctx, "nobody@example.org"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ByEmail(unknown): %v, want ErrNotFound", err)
		}
		if err := s.Users.SetPasswordHash(ctx, u.ID, "h3"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Users.ByID(ctx, u.ID); got.PasswordHash != "h3" {
			t.Errorf("hash after SetPasswordHash = %q", got.PasswordHash)
		}
		if err := s.Users.SetPasswordHash(ctx, 9999, "h"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("SetPasswordHash(unknown): %v, want ErrNotFound", err)
		}
		if err := s.Users.Disable(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Users.Disable(ctx, u.ID); err != nil {
			t.Errorf("disable twice: %v", err)
		}
		if err := s.Users.Disable(ctx, 9999); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Disable(unknown): %v, want ErrNotFound", err)
		}
		list, err := s.Users.List(ctx)
		if err != nil || len(list) != 1 || list[0].DisabledAt == nil {
			t.Errorf("List = %+v, %v; want the one user, disabled", list, err)
		}
	})
}

func TestSessions(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		u := models.User{Email: "tom@example.org", PasswordHash: "h", Role: "editor"}
		if err := s.Users.Create(ctx, &u); err != nil {
			t.Fatal(err)
		}
		future := time.Now().Add(time.Hour)
		for _, h := range []string{"s1", "s2"} {
			if err := s.Sessions.Create(ctx, &models.Session{Hash: h, UserID: u.ID, ExpiresAt: future}); err != nil {
				t.Fatalf("create: %v", err)
			}
		}
		if err := s.Sessions.Create(ctx, &models.Session{Hash: "s1", UserID: u.ID, ExpiresAt: future}); !errors.Is(err, models.ErrConflict) {
			t.Errorf("a taken hash: %v, want ErrConflict", err)
		}
		if err := s.Sessions.Create(ctx, &models.Session{Hash: "old", UserID: u.ID, ExpiresAt: time.Now().Add(-time.Minute)}); err != nil {
			t.Fatal(err)
		}
		sess, user, err := s.Sessions.Active(ctx, "s1")
		if err != nil || sess.UserID != u.ID || user.Email != "tom@example.org" {
			t.Fatalf("Active = %+v, %+v, %v", sess, user, err)
		}
		for _, h := range []string{"old", "unknown"} {
			if _, _, err := s.Sessions.Active(ctx, h); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("Active(%s): %v, want ErrNotFound", h, err)
			}
		}
		if err := s.Sessions.Revoke(ctx, "s1"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Sessions.Active(ctx, "s1"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Active(revoked): %v, want ErrNotFound", err)
		}
		if err := s.Users.Disable(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Sessions.Active(ctx, "s2"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Active(a disabled user's): %v, want ErrNotFound", err)
		}
		if n, err := s.Sessions.RevokeUser(ctx, u.ID); err != nil || n != 2 {
			t.Errorf("RevokeUser = %d, %v; want the two not revoked", n, err)
		}
		if n, err := s.Sessions.Purge(ctx, time.Now().Add(time.Second)); err != nil || n != 3 {
			t.Errorf("Purge = %d, %v; want all 3", n, err)
		}
	})
}

func TestThrottles(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		if _, err := s.Throttles.Get(ctx, "account:a"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Get(none): %v, want ErrNotFound", err)
		}
		for i := 1; i <= 3; i++ {
			got, err := s.Throttles.Fail(ctx, "account:a", time.Hour)
			if err != nil || got.Failures != i {
				t.Fatalf("Fail #%d = %+v, %v", i, got, err)
			}
		}
		// A window already over starts again.
		got, err := s.Throttles.Fail(ctx, "account:a", -time.Second)
		if err != nil || got.Failures != 1 {
			t.Errorf("Fail after the window = %+v, %v; want 1", got, err)
		}
		if got, _ := s.Throttles.Fail(ctx, "address:b", time.Hour); got.Failures != 1 {
			t.Errorf("another subject: %+v", got)
		}
		if err := s.Throttles.Clear(ctx, "account:a"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Throttles.Get(ctx, "account:a"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Get after Clear: %v, want ErrNotFound", err)
		}
		if n, err := s.Throttles.Purge(ctx, time.Now().Add(time.Second)); err != nil || n != 1 {
			t.Errorf("Purge = %d, %v", n, err)
		}
	})
}
