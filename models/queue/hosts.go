package queue

import (
	"context"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// HostCounts are the jobs to one host that are not done: waiting for
// their first attempt (Pending), failed and to be tried again
// (Retrying), given up (Dead).
type HostCounts struct {
	Host                    string
	Pending, Retrying, Dead int64
}

// ByHost counts, for each host with jobs that are not done, its jobs in
// each state, the hosts in name order.
func (s *DeliveryStore) ByHost(ctx context.Context) ([]HostCounts, error) {
	var rows []struct {
		Host, State string
		N           int64
	}
	err := s.DB.WithContext(ctx).Model(&Delivery{}).Select("host, state, COUNT(*) AS n").
		Where("state <> ?", DeliveryDone).Group("host, state").Order("host").Scan(&rows).Error
	if err != nil {
		return nil, dbconn.Translate(err, "count deliveries by host")
	}
	out := []HostCounts{}
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].Host != r.Host {
			out = append(out, HostCounts{Host: r.Host})
		}
		c := &out[len(out)-1]
		switch r.State {
		case DeliveryPending:
			c.Pending = r.N
		case DeliveryRetrying:
			c.Retrying = r.N
		case DeliveryDead:
			c.Dead = r.N
		}
	}
	return out, nil
}

// DeadTo lists up to limit dead jobs to host, most recently given up
// first.
func (s *DeliveryStore) DeadTo(ctx context.Context, host string, limit int) ([]Delivery, error) {
	var ds []Delivery
	err := s.DB.WithContext(ctx).Where("host = ? AND state = ?", host, DeliveryDead).
		Order("updated_at DESC, id DESC").Limit(limit).Find(&ds).Error
	return ds, dbconn.Translate(err, "list dead deliveries to %q", host)
}

// Revive makes the dead jobs to host pending again, due now with their
// attempts counted from zero: the one with the row id, or every one when
// id is 0. It returns how many it revived; ErrNotFound when none was.
func (s *DeliveryStore) Revive(ctx context.Context, host string, id int64) (int64, error) {
	now := dbconn.DBTime(s.Now())
	db := s.DB.WithContext(ctx).Model(&Delivery{}).Where("host = ? AND state = ?", host, DeliveryDead)
	if id != 0 {
		db = db.Where("id = ?", id)
	}
	res := db.Updates(map[string]any{"state": DeliveryPending, "attempts": 0, "next_attempt_at": now,
		"locked_by": "", "locked_until": nil, "updated_at": now})
	if res.Error == nil && res.RowsAffected == 0 {
		return 0, dbconn.Translate(dbconn.ErrNotFound, "revive deliveries to %q", host)
	}
	return res.RowsAffected, dbconn.Translate(res.Error, "revive deliveries to %q", host)
}
