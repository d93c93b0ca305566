package models

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Process is a running node process that claims work: deliveries and
// received activities. It renews HeartbeatAt every few seconds while it
// lives. A claim held by a process whose heartbeat has gone stale may be
// taken over by another, so that the work of a crashed process resumes in
// seconds rather than when its claims' leases run out; a claim held by a
// process that keeps its heartbeat is taken only once its lease has run
// out.
type Process struct {
	// ID names the process in the LockedBy of its claims.
	ID string `gorm:"primaryKey"`
	// Host and PID say where it runs, for people reading the table.
	Host        string `gorm:"not null;default:''"`
	PID         int    `gorm:"not null;default:0"`
	StartedAt   time.Time
	HeartbeatAt time.Time `gorm:"not null;index:idx_processes_heartbeat_at"`
}

// ProcessStore keeps the node processes that claim work, and their
// heartbeats. Reach it as Store.Processes.
type ProcessStore struct{ conn }

// Heartbeat records that p is alive at p.HeartbeatAt, registering it if it
// is not known yet (or was purged). It returns the database's error.
func (s *ProcessStore) Heartbeat(ctx context.Context, p Process) error {
	p.HeartbeatAt, p.StartedAt = dbconn.DBTime(p.HeartbeatAt), dbconn.DBTime(p.StartedAt)
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"heartbeat_at"}),
	}).Create(&p).Error
	return translate(err, "heartbeat of %q", p.ID)
}

// MarkDead makes the heartbeat of the process id stale at once, so
// that its claims are taken over by the next claim: for a process known to
// have ended. It is not an error if there is no such process.
func (s *ProcessStore) MarkDead(ctx context.Context, id string) error {
	err := s.db.WithContext(ctx).Model(&Process{}).Where("id = ?", id).
		Update("heartbeat_at", dbconn.DBTime(time.Unix(0, 0))).Error
	return translate(err, "mark process %q dead", id)
}

// End releases the claims the process id still holds and forgets
// it, in one transaction: for a process stopping with no work in flight.
// It returns the database's error.
func (s *ProcessStore) End(ctx context.Context, id string) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		err := tx.Model(&Delivery{}).Where("locked_by = ?", id).
			Updates(map[string]any{"locked_by": "", "locked_until": nil, "updated_at": dbconn.DBTime(s.now())}).Error
		if err != nil {
			return err
		}
		err = tx.Model(&Activity{}).Where("locked_by = ?", id).
			Updates(map[string]any{"locked_by": "", "locked_until": nil}).Error
		if err != nil {
			return err
		}
		return tx.Where("id = ?", id).Delete(&Process{}).Error
	})
	return translate(err, "end process %q", id)
}

// List returns the known processes, most recent heartbeat first.
func (s *ProcessStore) List(ctx context.Context) ([]Process, error) {
	var ps []Process
	err := s.db.WithContext(ctx).Order("heartbeat_at DESC, id").Find(&ps).Error
	return ps, translate(err, "list processes")
}

// Purge forgets the processes whose heartbeat is older than
// before and that hold no claim (a dead process's claims are taken over
// first), and returns how many it forgot.
func (s *ProcessStore) Purge(ctx context.Context, before time.Time) (int64, error) {
	res := s.db.WithContext(ctx).
		Where("heartbeat_at < ?", dbconn.DBTime(before)).
		Where("NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.locked_by = processes.id)").
		Where("NOT EXISTS (SELECT 1 FROM activities a WHERE a.locked_by = processes.id)").
		Delete(&Process{})
	return res.RowsAffected, translate(res.Error, "purge processes")
}
