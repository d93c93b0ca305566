package accounts

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// Audit actions: what a member of staff, a token or the command line did.
const (
	AuditPublished  = "published"
	AuditEdited     = "edited"
	AuditDeleted    = "deleted"
	AuditSavedDraft = "saved draft"
)

// AuditKeep is how long the audit log keeps an entry: a year.
const AuditKeep = 366 * 24 * time.Hour

// AuditEntry is one line of the audit log: who did what to what, and
// when. UserID is the signed-in user who acted, 0 for an admin token or
// the command line; Who names them.
type AuditEntry struct {
	ID     int64 `gorm:"primaryKey"`
	UserID int64 `gorm:"not null;default:0"`
	Who    string
	Action string
	// Target is what was acted on (a case study's slug), Title what it
	// was called then.
	Target string
	Title  string
	At     time.Time `gorm:"not null;index:idx_audit_entries_at"`
}

// AuditStore keeps the audit log. Reach it as Store.Audit; write to it
// with the store Atomically hands out, so that an entry is stored with
// the change it records.
type AuditStore struct{ dbconn.Conn }

// Record adds e, dated now unless it carries a time.
func (s *AuditStore) Record(ctx context.Context, e *AuditEntry) error {
	if e.At.IsZero() {
		e.At = s.Now().UTC()
	}
	return dbconn.Translate(s.DB.WithContext(ctx).Create(e).Error, "record audit entry %q", e.Action)
}

// List returns a page of the log, newest first, with the number of
// entries in all.
func (s *AuditStore) List(ctx context.Context, limit, offset int) ([]AuditEntry, int64, error) {
	db := s.DB.WithContext(ctx).Model(&AuditEntry{})
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, dbconn.Translate(err, "count audit entries")
	}
	var out []AuditEntry
	err := db.Order("at DESC, id DESC").Limit(limit).Offset(offset).Find(&out).Error
	return out, total, dbconn.Translate(err, "list audit entries")
}

// Purge deletes the entries older than before and says how many.
func (s *AuditStore) Purge(ctx context.Context, before time.Time) (int64, error) {
	res := s.DB.WithContext(ctx).Where("at < ?", before.UTC()).Delete(&AuditEntry{})
	return res.RowsAffected, dbconn.Translate(res.Error, "purge audit entries")
}
