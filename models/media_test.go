package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// TestMediaFiles: a file's row is recorded once by its id, the first
// upload's row kept; an unknown id is not found.
func TestMediaFiles(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		s := testrig.Store(t, db)
		ctx := context.Background()
		id := strings.Repeat("ab", 32)
		first := models.MediaFile{ID: id, MediaType: "image/png", Ext: "png", Size: 120, Width: 4, Height: 3, Filename: "first.png"}
		got, err := s.Media.Put(ctx, first)
		if err != nil || got.Filename != "first.png" || got.Width != 4 || got.CreatedAt.IsZero() {
			t.Fatalf("Put = %+v, %v", got, err)
		}
		again := first
		again.Filename = "second.png"
		if got, err := s.Media.Put(ctx, again); err != nil || got.Filename != "first.png" {
			t.Errorf("Put of the same id = %+v, %v; want the first row", got, err)
		}
		if got, err := s.Media.Get(ctx, id); err != nil || got.Size != 120 || got.MediaType != "image/png" {
			t.Errorf("Get = %+v, %v", got, err)
		}
		if _, err := s.Media.Get(ctx, strings.Repeat("cd", 32)); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Get of an unknown id = %v, want ErrNotFound", err)
		}
	})
}
