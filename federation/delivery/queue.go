package delivery

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// QueueView is the delivery queue as the API and the CLI show it: counts by
// state and the latest jobs.
type QueueView struct {
	Counts QueueCounts `json:"counts"`
	Jobs   []QueueJob  `json:"jobs"`
}

// QueueCounts is how many jobs are in each state.
type QueueCounts struct {
	Pending  int64 `json:"pending"`
	Retrying int64 `json:"retrying"`
	Done     int64 `json:"done"`
	Dead     int64 `json:"dead"`
}

// QueueJob is one delivery job, without its payload.
type QueueJob struct {
	ID            int64      `json:"id"`
	ActivityID    string     `json:"activity_id"`
	Inbox         string     `json:"inbox"`
	State         string     `json:"state"`
	Attempts      int        `json:"attempts"`
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
	LastStatus    int        `json:"last_status,omitempty"`
	LastError     string     `json:"last_error,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	DeliveredAt   *time.Time `json:"delivered_at,omitempty"`
}

// QueryError is a Queue request that asks for an unknown state or a limit
// out of range; Message says which, in words fit for a client.
type QueryError struct{ Message string }

// Error returns the message with the package's prefix.
func (e *QueryError) Error() string { return "delivery: " + e.Message }

// Queue returns the queue's counts and its latest jobs (at most limit,
// 1 to 100, 20 when 0) in state, most recently changed first; an empty
// state means pending, retrying and dead jobs, the ones worth a look. It
// returns a *QueryError for an unknown state or a bad limit, and the
// store's errors.
func (d *Runner) Queue(ctx context.Context, state string, limit int) (QueueView, error) {
	if limit == 0 {
		limit = 20
	}
	if limit < 1 || limit > 100 {
		return QueueView{}, &QueryError{Message: "limit must be 1 to 100"}
	}
	states := []string{models.DeliveryPending, models.DeliveryRetrying, models.DeliveryDead}
	if state != "" {
		if !slices.Contains(models.DeliveryStates, state) {
			return QueueView{}, &QueryError{Message: "state must be one of pending, retrying, done and dead"}
		}
		states = []string{state}
	}
	c, err := d.store.Deliveries.Stats(ctx)
	if err != nil {
		return QueueView{}, err
	}
	var jobs []models.Delivery
	for _, st := range states {
		ds, err := d.store.Deliveries.List(ctx, st, limit)
		if err != nil {
			return QueueView{}, err
		}
		jobs = append(jobs, ds...)
	}
	sort.SliceStable(jobs, func(i, j int) bool {
		if !jobs[i].UpdatedAt.Equal(jobs[j].UpdatedAt) {
			return jobs[i].UpdatedAt.After(jobs[j].UpdatedAt)
		}
		return jobs[i].ID > jobs[j].ID
	})
	if len(jobs) > limit {
		jobs = jobs[:limit]
	}
	v := QueueView{
		Counts: QueueCounts{Pending: c.Pending, Retrying: c.Retrying, Done: c.Done, Dead: c.Dead},
		Jobs:   make([]QueueJob, 0, len(jobs)),
	}
	for _, d := range jobs {
		v.Jobs = append(v.Jobs, queueJob(d))
	}
	return v, nil
}

func queueJob(d models.Delivery) QueueJob {
	j := QueueJob{
		ID: d.ID, ActivityID: d.ActivityID, Inbox: d.Inbox, State: d.State, Attempts: d.Attempts,
		LastStatus: d.LastStatus, LastError: d.LastError, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
		DeliveredAt: d.DeliveredAt,
	}
	if d.State == models.DeliveryPending || d.State == models.DeliveryRetrying {
		next := d.NextAttemptAt
		j.NextAttemptAt = &next
	}
	return j
}
