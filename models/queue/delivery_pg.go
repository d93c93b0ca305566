package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
	"gorm.io/gorm"
)

// claimPostgresSQL picks and leases the jobs in one statement: the
// candidates (a few more than wanted, oldest due first, hosts with no slot
// left skipped) are locked FOR UPDATE SKIP LOCKED, at most each host's
// slots of them are kept, and those are leased and returned whole. The
// host slots come as one JSON object, so the text of the statement is the
// same for every claim (one prepared statement per connection). %s is the
// condition that no live worker holds the job.
const claimPostgresSQL = `WITH cand AS MATERIALIZED (
	SELECT id, host, next_attempt_at FROM deliveries
	WHERE state IN ('pending', 'retrying') AND next_attempt_at <= ? AND %s
	AND host NOT IN (SELECT key FROM jsonb_each_text(CAST(? AS jsonb)) WHERE value::int <= 0)
	ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED
), ranked AS (
	SELECT c.id, c.next_attempt_at,
		row_number() OVER (PARTITION BY c.host ORDER BY c.next_attempt_at, c.id) AS n,
		COALESCE((SELECT s.value::int FROM jsonb_each_text(CAST(? AS jsonb)) s WHERE s.key = c.host), ?) AS slots
	FROM cand c
), picked AS (
	SELECT id FROM ranked WHERE n <= slots ORDER BY next_attempt_at, id LIMIT ?
)
UPDATE deliveries d SET locked_by = ?, locked_until = ?, attempts = d.attempts + 1
FROM picked WHERE d.id = picked.id
RETURNING d.*`

// claimPostgres is Claim on PostgreSQL: one statement, no transaction
// around it, every column of the claimed jobs returned by it.
func (s *DeliveryStore) claimPostgres(ctx context.Context, q ClaimQuery, now, until time.Time) ([]Delivery, error) {
	free, freeArgs := dbconn.FreeClaim("locked_until <= ?", now, q.StaleBefore)
	slots := []byte("{}")
	if len(q.HostSlots) > 0 {
		var err error
		if slots, err = json.Marshal(q.HostSlots); err != nil {
			return nil, err
		}
	}
	scan, perHost, ranked := q.Limit, q.Limit, []byte("{}")
	if q.PerHost > 0 {
		scan, perHost, ranked = q.Limit*4, q.PerHost, slots
	}
	args := append([]any{now}, freeArgs...)
	args = append(args, string(slots), scan, string(ranked), perHost, q.Limit, q.Worker, until)
	var claimed []Delivery
	err := s.DB.WithContext(ctx).Raw(fmt.Sprintf(claimPostgresSQL, free), args...).Scan(&claimed).Error
	return claimed, err
}

// recordPostgresSQL writes one outcome to many held jobs and returns the
// IDs it wrote: the jobs come as a JSON list of {"id", "attempts"}, and a
// job is written only while worker holds it and, for attempts above zero,
// was not claimed again since. %s is the SET list.
const recordPostgresSQL = `UPDATE deliveries d SET %s
FROM jsonb_to_recordset(CAST(? AS jsonb)) AS v(id bigint, attempts int)
WHERE d.id = v.id AND d.locked_by = ? AND (v.attempts = 0 OR d.attempts = v.attempts)
RETURNING d.id`

// heldJob is one job of recordPostgresSQL's list.
type heldJob struct {
	ID       int64 `json:"id"`
	Attempts int   `json:"attempts"`
}

// outcomeGroup is the results written by one statement: delivered jobs
// with the same status, or one failed job.
type outcomeGroup struct {
	set  string
	args []any
	jobs []heldJob
}

// recordPostgres is Record on PostgreSQL: one UPDATE … RETURNING per
// group of outcomes (all the delivered jobs with one status in one), which
// both checks that the worker still holds each job and writes it; a
// transaction only when there is more than one group.
func (s *DeliveryStore) recordPostgres(ctx context.Context, worker string, results []DeliveryResult) ([]int64, error) {
	now := dbconn.DBTime(s.Now())
	const release = "locked_by = '', locked_until = NULL, updated_at = ?"
	var groups []*outcomeGroup
	delivered := map[int]*outcomeGroup{}
	for _, r := range results {
		job := heldJob{ID: r.ID, Attempts: r.Attempts}
		switch r.State {
		case DeliveryDone:
			g := delivered[r.Status]
			if g == nil {
				g = &outcomeGroup{set: "state = ?, last_status = ?, last_error = '', delivered_at = ?, " + release,
					args: []any{DeliveryDone, r.Status, now, now}}
				delivered[r.Status] = g
				groups = append(groups, g)
			}
			g.jobs = append(g.jobs, job)
		case DeliveryRetrying:
			groups = append(groups, &outcomeGroup{set: "state = ?, last_status = ?, last_error = ?, next_attempt_at = ?, " + release,
				args: []any{DeliveryRetrying, r.Status, r.Error, dbconn.DBTime(r.Next), now}, jobs: []heldJob{job}})
		case DeliveryDead:
			groups = append(groups, &outcomeGroup{set: "state = ?, last_status = ?, last_error = ?, " + release,
				args: []any{DeliveryDead, r.Status, r.Error, now}, jobs: []heldJob{job}})
		}
	}
	written := make(map[int64]bool, len(results))
	write := func(db *gorm.DB) error {
		for _, g := range groups {
			list, err := json.Marshal(g.jobs)
			if err != nil {
				return err
			}
			var ids []int64
			args := append(g.args, string(list), worker)
			if err := db.Raw(fmt.Sprintf(recordPostgresSQL, g.set), args...).Scan(&ids).Error; err != nil {
				return err
			}
			for _, id := range ids {
				written[id] = true
			}
		}
		return nil
	}
	var err error
	if len(groups) == 1 {
		err = write(s.DB.WithContext(ctx))
	} else {
		err = s.Tx(ctx, write)
	}
	if err != nil {
		return nil, err
	}
	var notHeld []int64
	for _, r := range results {
		if !written[r.ID] {
			notHeld = append(notHeld, r.ID)
		}
	}
	return notHeld, nil
}
