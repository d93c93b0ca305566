package adminops

import (
	"context"
	"strconv"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// Waker wakes the delivery runner (*delivery.Runner, from
// federation.Service's Delivery), so that revived jobs go at once.
type Waker interface{ Wake() }

// Deliveries are the delivery queue as the admin area shows it: what
// waits, fails and was given up, by host; retrying what was given up.
type Deliveries struct {
	store  *models.Store
	runner Waker
}

// NewDeliveries makes the admin area's view of the queue in store, waking
// runner after a retry.
func NewDeliveries(store *models.Store, runner Waker) *Deliveries {
	return &Deliveries{store: store, runner: runner}
}

// HostCounts are one host's jobs that are not done.
type HostCounts struct {
	Host                    string
	Pending, Retrying, Dead int64
}

// DeadJob is a delivery given up.
type DeadJob struct {
	ID                int64
	Inbox, ActivityID string
	Attempts          int
	LastStatus        int
	LastError         string
	Updated           time.Time
}

// Hosts counts the jobs that are not done by host, or returns the
// store's error.
func (d *Deliveries) Hosts(ctx context.Context) ([]HostCounts, error) {
	rows, err := d.store.Deliveries.ByHost(ctx)
	out := make([]HostCounts, len(rows))
	for i, r := range rows {
		out[i] = HostCounts{Host: r.Host, Pending: r.Pending, Retrying: r.Retrying, Dead: r.Dead}
	}
	return out, err
}

// Dead lists the latest 100 dead jobs to host, or returns the store's
// error.
func (d *Deliveries) Dead(ctx context.Context, host string) ([]DeadJob, error) {
	rows, err := d.store.Deliveries.DeadTo(ctx, host, 100)
	out := make([]DeadJob, len(rows))
	for i, r := range rows {
		out[i] = DeadJob{ID: r.ID, Inbox: r.Inbox, ActivityID: r.ActivityID, Attempts: r.Attempts, LastStatus: r.LastStatus,
			LastError: r.LastError, Updated: r.UpdatedAt}
	}
	return out, err
}

// Retry makes the dead job id to host (every dead job to host when id is
// 0) pending again, due now, and wakes the runner. It returns how many
// it revived, a not found error when there was none, or the store's
// error.
func (d *Deliveries) Retry(ctx context.Context, host string, id int64) (int64, error) {
	var n int64
	err := d.store.Atomically(ctx, func(tx *models.Store) error {
		var err error
		if n, err = tx.Deliveries.Revive(ctx, host, id); err != nil {
			return err
		}
		what := strconv.FormatInt(n, 10) + " given up"
		if id != 0 {
			what = "job " + strconv.FormatInt(id, 10)
		}
		return record(ctx, tx, Retried, host, what)
	})
	if err != nil {
		return 0, err
	}
	d.runner.Wake()
	return n, nil
}
