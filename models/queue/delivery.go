package queue

import (
	"context"
	"fmt"
	"github.com/pollen-coop/pollen/models/dbconn"
	"net/url"
	"sort"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// States of a delivery.
const (
	// DeliveryPending is a job not yet tried.
	DeliveryPending = "pending"
	// DeliveryRetrying is a job tried and failed, due again at NextAttemptAt.
	DeliveryRetrying = "retrying"
	// DeliveryDone is a job the inbox accepted.
	DeliveryDone = "done"
	// DeliveryDead is a job given up on: refused for good, or too old.
	DeliveryDead = "dead"
)

// waitingSQL is the condition of a job waiting to be tried, written as
// the partial index idx_deliveries_waiting (migration step 19) is, so that
// both databases see that the index applies.
const waitingSQL = "state IN ('pending', 'retrying')"

// waiting selects the jobs waiting to be tried from db, through
// idx_deliveries_waiting: PostgreSQL's planner picks it for waitingSQL,
// SQLite's (without statistics) would sort the due jobs instead, and is
// told.
func (s *DeliveryStore) waiting(db *gorm.DB) *gorm.DB {
	if s.Postgres {
		return db.Model(&Delivery{}).Where(waitingSQL)
	}
	return db.Table("deliveries INDEXED BY idx_deliveries_waiting").Where(waitingSQL)
}

// DeliveryStates lists every state, in the order a job goes through them.
var DeliveryStates = []string{DeliveryPending, DeliveryRetrying, DeliveryDone, DeliveryDead}

// Delivery is one activity queued for one destination inbox. A worker
// claims it by taking a lease (LockedBy, LockedUntil); the job is claimed
// again once its lease has run out, or as soon as its worker is a process
// whose heartbeat has gone stale (see Process).
type Delivery struct {
	ID         int64  `gorm:"primaryKey"`
	ActivityID string `gorm:"not null;uniqueIndex:idx_delivery_activity_inbox,priority:1"`
	Inbox      string `gorm:"not null;uniqueIndex:idx_delivery_activity_inbox,priority:2;index"`
	// Host is the inbox's host (with its port), for the per-host bound.
	Host string `gorm:"not null;index"`
	// SignerActorID is the local actor whose key signs the POST.
	SignerActorID int64 `gorm:"not null"`
	// Payload is the activity's JSON, exactly as sent: kept once for all
	// the activity's jobs (delivery_payloads), and set by the reads that
	// return whole jobs (Claim, ByID, Of, List).
	Payload       []byte    `gorm:"-"`
	State         string    `gorm:"not null;index:idx_delivery_due,priority:1"`
	Attempts      int       `gorm:"not null;default:0"`
	NextAttemptAt time.Time `gorm:"not null;index:idx_delivery_due,priority:2"`
	LockedBy      string    `gorm:"not null;default:''"`
	LockedUntil   *time.Time
	// LastStatus is the HTTP status of the last attempt, 0 if none came.
	LastStatus int    `gorm:"not null;default:0"`
	LastError  string `gorm:"not null;default:''"`
	CreatedAt  time.Time
	// UpdatedAt is when the job was queued or its state last changed (an
	// outcome recorded, a job given up); a claim leaves it.
	UpdatedAt   time.Time `gorm:"index"`
	DeliveredAt *time.Time
}

// DeliveryCounts is how many jobs are in each state.
type DeliveryCounts struct {
	Pending, Retrying, Done, Dead int64
}

// ClaimQuery says which due jobs a worker takes.
type ClaimQuery struct {
	// Worker names the claimant; it is kept in LockedBy.
	Worker string
	// Limit is the most jobs to take.
	Limit int
	// Lease is how long the jobs stay the worker's.
	Lease time.Duration
	// Now is the time jobs must be due by.
	Now time.Time
	// StaleBefore, when set, lets the claim take over jobs held by a
	// process whose heartbeat is older, however long their lease.
	StaleBefore time.Time
	// PerHost, when above zero, is the most jobs to take for one host;
	// HostSlots overrides it for the hosts it names (0 takes none).
	PerHost   int
	HostSlots map[string]int
}

// DeliveryStore is the queue of activities to deliver, one job per
// destination inbox. Reach it as Store.Deliveries.
type DeliveryStore struct{ dbconn.Conn }

// Enqueue queues payload, the activity activityID signed by the
// local actor signer, for each inbox, in one transaction. Inboxes are
// de-duplicated and a job already queued for the same activity and inbox is
// left as it is, so enqueueing twice is harmless. It returns an error if an
// inbox is not an absolute http(s) URL, and then queues nothing. The
// payload is kept once for the activity's jobs; an activity queued again
// keeps the payload it was first queued with (an activity's JSON does not
// change under its ID).
func (s *DeliveryStore) Enqueue(ctx context.Context, activityID string, signer int64, payload []byte, inboxes []string) error {
	now := dbconn.DBTime(s.Now())
	seen := make(map[string]bool, len(inboxes))
	rows := make([]Delivery, 0, len(inboxes))
	for _, inbox := range inboxes {
		if seen[inbox] {
			continue
		}
		seen[inbox] = true
		u, err := url.Parse(inbox)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("store: enqueue %q: inbox %q is not an absolute http(s) URL", activityID, inbox)
		}
		rows = append(rows, Delivery{
			ActivityID: activityID, Inbox: inbox, Host: u.Host, SignerActorID: signer,
			State: DeliveryPending, NextAttemptAt: now,
		})
	}
	if len(rows) == 0 {
		return nil
	}
	rows = interleaveHosts(rows)
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		if err := keepPayload(tx, activityID, payload, now); err != nil {
			return err
		}
		return tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "activity_id"}, {Name: "inbox"}},
			DoNothing: true,
		}).CreateInBatches(rows, 200).Error
	})
	return dbconn.Translate(err, "enqueue %q", activityID)
}

// interleaveHosts orders rows one host at a time in turn (the first
// inbox of each host, then the second of each, …), keeping each host's own
// order. Jobs due at once are claimed in the order they were queued, and a
// claim looks at a few more of them than it takes: queued host by host,
// as a follower list sorted by inbox would have them, one host's jobs
// would fill every claim's window, its per-host bound would let through
// only a few of them, and the fan-out would crawl at that bound.
func interleaveHosts(rows []Delivery) []Delivery {
	var hosts []string
	byHost := map[string][]Delivery{}
	for _, r := range rows {
		if _, ok := byHost[r.Host]; !ok {
			hosts = append(hosts, r.Host)
		}
		byHost[r.Host] = append(byHost[r.Host], r)
	}
	if len(hosts) < 2 {
		return rows
	}
	out := make([]Delivery, 0, len(rows))
	for round := 0; len(hosts) > 0; round++ {
		left := hosts[:0]
		for _, h := range hosts {
			jobs := byHost[h]
			out = append(out, jobs[round])
			if round+1 < len(jobs) {
				left = append(left, h)
			}
		}
		hosts = left
	}
	return out
}

// Claim leases up to q.Limit due jobs to q.Worker until
// q.Now+q.Lease: pending or retrying jobs whose NextAttemptAt has come and
// that no one holds (or whose lease ran out), oldest due first; each
// claimed job's Attempts is counted up (its UpdatedAt is left: the lease
// touches no indexed column, so that on PostgreSQL it is written in place,
// see migration step 20), and two workers never hold one job at once.
// With q.PerHost it skips the jobs of hosts that have no slot left,
// without holding them; with q.StaleBefore it also takes over the jobs of
// dead processes. On PostgreSQL one statement locks the candidate
// rows with FOR UPDATE SKIP LOCKED, so processes sharing the database pass
// each other by, and leases and returns them (claimPostgres); on SQLite,
// a single writer, one transaction picks the jobs and leases them with
// UPDATE … RETURNING.
func (s *DeliveryStore) Claim(ctx context.Context, q ClaimQuery) ([]Delivery, error) {
	if q.Limit <= 0 {
		return nil, nil
	}
	now := dbconn.DBTime(q.Now)
	until := dbconn.DBTime(now.Add(q.Lease))
	var claimed []Delivery
	var err error
	if s.Postgres {
		// The payloads are read after the claim, outside it: should that
		// read fail, the jobs are held until their lease runs out, as
		// after a crash, and then claimed again.
		if claimed, err = s.claimPostgres(ctx, q, now, until); err == nil {
			err = withPayloads(s.DB.WithContext(ctx), claimed)
		}
	} else {
		err = s.Tx(ctx, func(tx *gorm.DB) error {
			ids, err := s.claimCandidates(tx, q, now)
			if err != nil || len(ids) == 0 {
				return err
			}
			err = tx.Raw("UPDATE deliveries SET locked_by = ?, locked_until = ?, attempts = attempts + 1 WHERE id IN ? RETURNING *",
				q.Worker, until, ids).Scan(&claimed).Error
			if err != nil {
				return err
			}
			return withPayloads(tx, claimed)
		})
	}
	if err != nil {
		return nil, dbconn.Translate(err, "claim deliveries")
	}
	sort.Slice(claimed, func(i, j int) bool {
		a, b := claimed[i], claimed[j]
		if !a.NextAttemptAt.Equal(b.NextAttemptAt) {
			return a.NextAttemptAt.Before(b.NextAttemptAt)
		}
		return a.ID < b.ID
	})
	return claimed, nil
}

// claimCandidates picks the IDs of the jobs to claim on SQLite, honouring
// the host slots. It reads a few more rows than it needs so that one busy
// host does not hide the others.
func (s *DeliveryStore) claimCandidates(tx *gorm.DB, q ClaimQuery, now time.Time) ([]int64, error) {
	type cand struct {
		ID   int64
		Host string
	}
	db := s.waiting(tx).Select("id", "host").
		Where("next_attempt_at <= ?", now)
	free, args := dbconn.FreeClaim("locked_until <= ?", now, q.StaleBefore)
	db = db.Where(free, args...)
	var full []string
	for host, n := range q.HostSlots {
		if n <= 0 {
			full = append(full, host)
		}
	}
	if len(full) > 0 {
		db = db.Where("host NOT IN ?", full)
	}
	scan := q.Limit
	if q.PerHost > 0 {
		scan = q.Limit * 4
	}
	db = db.Order("next_attempt_at, id").Limit(scan)
	var cands []cand
	if err := db.Find(&cands).Error; err != nil {
		return nil, err
	}
	taken := make(map[string]int)
	ids := make([]int64, 0, q.Limit)
	for _, c := range cands {
		if len(ids) == q.Limit {
			break
		}
		if q.PerHost > 0 {
			slots, ok := q.HostSlots[c.Host]
			if !ok {
				slots = q.PerHost
			}
			if taken[c.Host] >= slots {
				continue
			}
		}
		taken[c.Host]++
		ids = append(ids, c.ID)
	}
	return ids, nil
}

// DeliveryResult is the outcome of one attempt at a claimed job, for
// DeliveryStore.Record.
type DeliveryResult struct {
	ID int64
	// Attempts is the job's Attempts as claimed; when above zero the
	// outcome is recorded only if the job was not claimed again since,
	// even by the same worker.
	Attempts int
	// State is DeliveryDone, DeliveryRetrying or DeliveryDead.
	State string
	// Status is the HTTP status of the answer, 0 if none came.
	Status int
	// Error says why the attempt failed; empty when delivered.
	Error string
	// Next is when a retrying job is due again.
	Next time.Time
}

// Record records the outcomes of attempts at jobs that worker claimed,
// and releases the jobs, atomically: jobs delivered with the same status
// are marked in one statement (on PostgreSQL an UPDATE … RETURNING that
// also checks the lease, with no transaction when it is the only one). An
// outcome is recorded only while worker still holds its job (and, when
// Attempts is set, the job was not claimed again since); the IDs of the
// others are returned, in the order given, and those jobs are left alone. It returns an error, and
// records nothing, for a result with an unknown State or when the database
// fails.
func (s *DeliveryStore) Record(ctx context.Context, worker string, results []DeliveryResult) (notHeld []int64, err error) {
	if len(results) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(results))
	for i, r := range results {
		switch r.State {
		case DeliveryDone, DeliveryRetrying, DeliveryDead:
		default:
			return nil, fmt.Errorf("store: record delivery %d: unknown state %q", r.ID, r.State)
		}
		ids[i] = r.ID
	}
	if s.Postgres {
		notHeld, err = s.recordPostgres(ctx, worker, results)
		if err != nil {
			return nil, dbconn.Translate(err, "record %d deliveries", len(results))
		}
		return notHeld, nil
	}
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		held, err := s.heldDeliveries(tx, worker, ids)
		if err != nil {
			return err
		}
		now := dbconn.DBTime(s.Now())
		release := func(set map[string]any) map[string]any {
			set["locked_by"], set["locked_until"], set["updated_at"] = "", nil, now
			return set
		}
		delivered := map[int][]int64{} // by status
		for _, r := range results {
			if a, ok := held[r.ID]; !ok || (r.Attempts > 0 && a != r.Attempts) {
				notHeld = append(notHeld, r.ID)
				continue
			}
			var set map[string]any
			switch r.State {
			case DeliveryDone:
				delivered[r.Status] = append(delivered[r.Status], r.ID)
				continue
			case DeliveryRetrying:
				set = map[string]any{"state": DeliveryRetrying, "last_status": r.Status, "last_error": r.Error, "next_attempt_at": dbconn.DBTime(r.Next)}
			case DeliveryDead:
				set = map[string]any{"state": DeliveryDead, "last_status": r.Status, "last_error": r.Error}
			}
			if err := tx.Model(&Delivery{}).Where("id = ? AND locked_by = ?", r.ID, worker).Updates(release(set)).Error; err != nil {
				return err
			}
		}
		for status, ids := range delivered {
			set := release(map[string]any{"state": DeliveryDone, "last_status": status, "last_error": "", "delivered_at": now})
			if err := tx.Model(&Delivery{}).Where("id IN ? AND locked_by = ?", ids, worker).Updates(set).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, dbconn.Translate(err, "record %d deliveries", len(results))
	}
	return notHeld, nil
}

// heldDeliveries returns the Attempts of the jobs among ids that worker
// holds, on SQLite (a single writer: no one claims them meanwhile).
func (s *DeliveryStore) heldDeliveries(tx *gorm.DB, worker string, ids []int64) (map[int64]int, error) {
	var rows []struct {
		ID       int64
		Attempts int
	}
	db := tx.Model(&Delivery{}).Select("id", "attempts").Where("id IN ? AND locked_by = ?", ids, worker)
	if err := db.Find(&rows).Error; err != nil {
		return nil, err
	}
	held := make(map[int64]int, len(rows))
	for _, r := range rows {
		held[r.ID] = r.Attempts
	}
	return held, nil
}

// ByID returns the job with the given ID, or ErrNotFound.
func (s *DeliveryStore) ByID(ctx context.Context, id int64) (Delivery, error) {
	var d Delivery
	db := s.DB.WithContext(ctx)
	err := db.First(&d, id).Error
	if err == nil {
		ds := []Delivery{d}
		err = withPayloads(db, ds)
		d = ds[0]
	}
	return d, dbconn.Translate(err, "get delivery %d", id)
}

// Of returns the jobs of one activity, in inbox order.
func (s *DeliveryStore) Of(ctx context.Context, activityID string) ([]Delivery, error) {
	var ds []Delivery
	db := s.DB.WithContext(ctx)
	err := db.Where("activity_id = ?", activityID).Order("inbox").Find(&ds).Error
	if err == nil {
		err = withPayloads(db, ds)
	}
	return ds, dbconn.Translate(err, "list deliveries of %q", activityID)
}

// Stats counts the jobs in each state.
func (s *DeliveryStore) Stats(ctx context.Context) (DeliveryCounts, error) {
	var rows []struct {
		State string
		N     int64
	}
	err := s.DB.WithContext(ctx).Model(&Delivery{}).Select("state, COUNT(*) AS n").Group("state").Scan(&rows).Error
	if err != nil {
		return DeliveryCounts{}, dbconn.Translate(err, "count deliveries")
	}
	var c DeliveryCounts
	for _, r := range rows {
		switch r.State {
		case DeliveryPending:
			c.Pending = r.N
		case DeliveryRetrying:
			c.Retrying = r.N
		case DeliveryDone:
			c.Done = r.N
		case DeliveryDead:
			c.Dead = r.N
		}
	}
	return c, nil
}

// List returns up to limit jobs in state (any state when empty),
// most recently changed first.
func (s *DeliveryStore) List(ctx context.Context, state string, limit int) ([]Delivery, error) {
	if limit <= 0 {
		limit = 20
	}
	db := s.DB.WithContext(ctx)
	if state != "" {
		db = db.Where("state = ?", state)
	}
	var ds []Delivery
	err := db.Order("updated_at DESC, id DESC").Limit(limit).Find(&ds).Error
	if err == nil {
		err = withPayloads(s.DB.WithContext(ctx), ds)
	}
	return ds, dbconn.Translate(err, "list %q deliveries", state)
}

// NextDue returns when the earliest pending or retrying job that
// no one holds at now (no live process, with staleBefore set) falls due,
// or ErrNotFound if there is none.
func (s *DeliveryStore) NextDue(ctx context.Context, now, staleBefore time.Time) (time.Time, error) {
	var d Delivery
	free, args := dbconn.FreeClaim("locked_until <= ?", dbconn.DBTime(now), staleBefore)
	err := s.waiting(s.DB.WithContext(ctx)).Select("id", "next_attempt_at").
		Where(free, args...).
		Order("next_attempt_at, id").First(&d).Error
	if err != nil {
		return time.Time{}, dbconn.Translate(err, "next delivery due")
	}
	return d.NextAttemptAt, nil
}

// AbandonTo marks every job to inbox that is still waiting (and
// not held by a worker) dead with reason, as when a follower is gone, and
// returns how many it gave up.
func (s *DeliveryStore) AbandonTo(ctx context.Context, inbox, reason string) (int64, error) {
	now := dbconn.DBTime(s.Now())
	res := s.DB.WithContext(ctx).Model(&Delivery{}).
		Where("inbox = ? AND state IN ?", inbox, []string{DeliveryPending, DeliveryRetrying}).
		Where("(locked_until IS NULL OR locked_until <= ?)", now).
		Updates(map[string]any{"state": DeliveryDead, "last_error": reason, "updated_at": now})
	return res.RowsAffected, dbconn.Translate(res.Error, "abandon deliveries to %q", inbox)
}

// PurgeDelivered deletes the done jobs delivered before olderThan, then
// the payloads queued before it that no job needs any more, and returns
// how many jobs it deleted.
func (s *DeliveryStore) PurgeDelivered(ctx context.Context, olderThan time.Time) (int64, error) {
	res := s.DB.WithContext(ctx).Where("state = ? AND delivered_at < ?", DeliveryDone, dbconn.DBTime(olderThan)).Delete(&Delivery{})
	if res.Error != nil {
		return 0, dbconn.Translate(res.Error, "purge deliveries")
	}
	return res.RowsAffected, dbconn.Translate(purgePayloads(s.DB.WithContext(ctx), olderThan), "purge delivery payloads")
}
