package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

func TestTokens(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)

		tok := models.APIToken{Name: "ci", Hash: "hash-1"}
		if err := s.Tokens.Create(ctx, &tok); err != nil {
			t.Fatalf("create: %v", err)
		}
		if err := s.Tokens.Create(ctx, &models.APIToken{Name: "ci", Hash: "hash-2"}); !errors.Is(err, models.ErrConflict) {
			t.Errorf("create with a taken name: %v, want ErrConflict", err)
		}
		got, err := s.Tokens.ByHash(ctx, "hash-1")
		if err != nil || got.Name != "ci" {
			t.Fatalf("Tokens.ByHash = %+v, %v", got, err)
		}
		if _, err := s.Tokens.ByHash(ctx, "hash-unknown"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Tokens.ByHash(unknown): %v, want ErrNotFound", err)
		}
		list, err := s.Tokens.List(ctx)
		if err != nil || len(list) != 1 || list[0].LastUsedAt == nil {
			t.Errorf("Tokens.List = %+v, %v; want one, with its use recorded", list, err)
		}

		if err := s.Tokens.Revoke(ctx, "ci"); err != nil {
			t.Fatalf("revoke: %v", err)
		}
		if _, err := s.Tokens.ByHash(ctx, "hash-1"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Tokens.ByHash(revoked): %v, want ErrNotFound", err)
		}
		if err := s.Tokens.Revoke(ctx, "ci"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("revoke twice: %v, want ErrNotFound", err)
		}
		if err := s.Tokens.Revoke(ctx, "nobody"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("revoke unknown: %v, want ErrNotFound", err)
		}
		list, _ = s.Tokens.List(ctx)
		if len(list) != 1 || list[0].RevokedAt == nil {
			t.Errorf("Tokens after revoke = %+v; want the token kept, revoked", list)
		}
	})
}
