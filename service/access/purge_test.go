package access_test

import (
	"context"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestSignInPurgesOldAudit: a sign-in forgets the audit entries older
// than a year, and keeps the others.
func TestSignInPurgesOldAudit(t *testing.T) {
	ctx := context.Background()
	store := testrig.Store(t, testrig.SQLite(t))
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	a := access.NewAccounts(store, func() time.Time { return now })
	for _, at := range []time.Time{now.Add(-models.AuditKeep - time.Hour), now.Add(-models.AuditKeep + time.Hour)} {
		if err := store.Audit.Record(ctx, &models.AuditEntry{Who: "command line", Action: models.AuditPublished, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.CreateUser(ctx, "asha@example.org", access.RoleEditor, goodPassword); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.SignIn(ctx, "asha@example.org", goodPassword, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	rows, total, err := store.Audit.List(ctx, 10, 0)
	if err != nil || total != 1 || !rows[0].At.Equal(now.Add(-models.AuditKeep+time.Hour)) {
		t.Errorf("after sign-in: %+v, %d, %v", rows, total, err)
	}
}
