package models

import (
	"context"
	"database/sql"
	"strings"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// TimelineScope is which statuses a timeline holds.
type TimelineScope int

// The timelines.
const (
	// ScopePublic is every case study and public note this node holds.
	ScopePublic TimelineScope = iota
	// ScopeHome is what the viewer and the accounts it follows (accepted
	// follows) published or announced, unlisted notes included.
	ScopeHome
	// ScopeTag is the case studies and public notes with a hashtag.
	ScopeTag
	// ScopeAccount is what one actor published or announced.
	ScopeAccount
)

// TimelineQuery selects a page of a timeline by status id.
type TimelineQuery struct {
	Scope TimelineScope
	// LocalOnly and RemoteOnly narrow the public and tag timelines.
	LocalOnly, RemoteOnly bool
	// Viewer is the actor whose home timeline it is (ScopeHome).
	Viewer int64
	// Tag is the hashtag (ScopeTag), any case; with ScopeAccount it
	// narrows the account's statuses to those with the hashtag.
	Tag string
	// ActorID is the actor whose statuses are listed (ScopeAccount).
	ActorID int64
	// OnlyMedia keeps the case studies with an image attachment (notes and
	// announces carry none); ExcludeReplies leaves out the notes that
	// answer a status; ExcludeReblogs leaves out the announces. They
	// narrow the account timeline (ScopeAccount) only.
	OnlyMedia, ExcludeReplies, ExcludeReblogs bool
	// MaxID and SinceID are exclusive bounds (0 leaves that end open),
	// newest first; MinID is an exclusive lower bound read oldest first.
	MaxID, SinceID, MinID int64
	Limit                 int
}

// TimelineEntry is one status of a timeline: its kind, its row's id in
// its own table, its status id and its author.
type TimelineEntry struct {
	Kind     string
	ID       int64
	StatusID int64
	ActorID  int64
}

// TimelineStore reads the statuses of every kind in one order. Reach it
// as Store.Timelines.
type TimelineStore struct{ conn }

// Page returns the page of the timeline q selects: newest first, or
// oldest first with MinID; at most q.Limit (20 when unset) entries. Each
// kind is read by its status id index, at most one page of it, and the
// pages merged: a page deep in the history costs what the first does.
func (s *TimelineStore) Page(ctx context.Context, q TimelineQuery) ([]TimelineEntry, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	order := "DESC"
	if q.MinID != 0 {
		order = "ASC"
	}
	var parts []string
	var args []any
	for _, b := range s.branches(q) {
		where, wargs := b.where, b.args
		if q.MaxID != 0 {
			where, wargs = where+" AND status_id < ?", append(wargs, q.MaxID)
		}
		if q.SinceID != 0 {
			where, wargs = where+" AND status_id > ?", append(wargs, q.SinceID)
		}
		if q.MinID != 0 {
			where, wargs = where+" AND status_id > ?", append(wargs, q.MinID)
		}
		parts = append(parts, "SELECT * FROM (SELECT '"+b.kind+"' AS kind, id, status_id, actor_id FROM "+b.table+
			" WHERE "+where+" ORDER BY status_id "+order+" LIMIT ?) AS "+b.table)
		args = append(args, append(wargs, limit)...)
	}
	query := "SELECT kind, id, status_id, actor_id FROM (" + strings.Join(parts, " UNION ALL ") +
		") AS t ORDER BY status_id " + order + " LIMIT ?"
	out := make([]TimelineEntry, 0, limit)
	err := dbconn.ScanRows(s.db.WithContext(ctx), "read a timeline", query, append(args, limit), func(r *sql.Rows) error {
		var e TimelineEntry
		err := r.Scan(&e.Kind, &e.ID, &e.StatusID, &e.ActorID)
		out = append(out, e)
		return err
	})
	return out, err
}

// branch is what one kind of status contributes to a timeline.
type branch struct {
	kind, table, where string
	args               []any
}

// branches are the kinds of status that q's timeline holds, each with its
// condition.
func (s *TimelineStore) branches(q TimelineQuery) []branch {
	cs := branch{kind: KindCaseStudy, table: "case_studies", where: "deleted_at IS NULL AND draft = false AND " + notHidden}
	note := branch{kind: KindNote, table: "notes", where: "deleted_at IS NULL AND hidden_at IS NULL AND " + notHidden}
	ann := branch{kind: KindAnnounce, table: "announces", where: notHidden}
	switch q.Scope {
	case ScopeHome:
		// +actor_id keeps the planners off the author indexes: the page
		// is read in status id order (idx_*_live_status) and the authors
		// checked on the way, which finds a page after a few rows when
		// most of what the node holds is by the accounts it follows,
		// rather than gathering every followed status and sorting them.
		//
		// On SQLite the author is checked by a lookup in idx_follow_pair
		// per row read (EXISTS) rather than IN (SELECT …), which fills a
		// temporary index with every followed account on each query:
		// three times 500 rows a page, most of the query's cost.
		// PostgreSQL hashes the IN list once and keeps it.
		home := " AND (+actor_id = ? OR +actor_id IN (SELECT target_id FROM follows WHERE actor_id = ? AND state = ?))"
		out := []branch{cs, note, ann}
		for i := range out {
			if !s.postgres {
				home = " AND (+actor_id = ? OR EXISTS (SELECT 1 FROM follows WHERE follows.actor_id = ? AND follows.target_id = " +
					out[i].table + ".actor_id AND follows.state = ?))"
			}
			out[i].where += home
			out[i].args = []any{q.Viewer, q.Viewer, FollowAccepted}
		}
		return out
	case ScopeAccount:
		return accountBranches(q, cs, note, ann)
	}
	note.where, note.args = note.where+" AND visibility = ?", []any{VisibilityPublic}
	out := []branch{cs, note}
	for i := range out {
		if q.LocalOnly {
			out[i].where, out[i].args = out[i].where+" AND local = ?", append(out[i].args, true)
		}
		if q.RemoteOnly {
			out[i].where, out[i].args = out[i].where+" AND local = ?", append(out[i].args, false)
		}
		if q.Scope == ScopeTag {
			out[i].where += " AND status_id IN (SELECT status_id FROM status_tags WHERE name = ?)"
			out[i].args = append(out[i].args, HashtagKey(q.Tag))
		}
	}
	return out
}

// accountBranches are the kinds of status of an actor's timeline, narrowed
// by q's filters.
func accountBranches(q TimelineQuery, cs, note, ann branch) []branch {
	out := []branch{cs}
	switch {
	case q.OnlyMedia:
		out[0].where += " AND attachments LIKE '%\"image/%'"
	case q.ExcludeReplies:
		note.where += " AND in_reply_to = ''"
		out = append(out, note)
	default:
		out = append(out, note)
	}
	if !q.OnlyMedia && !q.ExcludeReblogs && q.Tag == "" {
		out = append(out, ann)
	}
	for i := range out {
		out[i].where += " AND actor_id = ?"
		out[i].args = []any{q.ActorID}
		if q.Tag != "" {
			out[i].where += " AND status_id IN (SELECT status_id FROM status_tags WHERE name = ?)"
			out[i].args = append(out[i].args, HashtagKey(q.Tag))
		}
	}
	return out
}

// ByStatusID returns the status with the status id, of any kind, or
// ErrNotFound. A deleted case study or note, a hidden note, or a status
// of a blocked actor or domain is not found.
func (s *TimelineStore) ByStatusID(ctx context.Context, id int64) (TimelineEntry, error) {
	sql := "SELECT '" + KindCaseStudy + "' AS kind, id, status_id, actor_id FROM case_studies WHERE status_id = ? AND deleted_at IS NULL AND draft = false AND " + notHidden +
		" UNION ALL SELECT '" + KindNote + "', id, status_id, actor_id FROM notes WHERE status_id = ? AND deleted_at IS NULL AND hidden_at IS NULL AND " + notHidden +
		" UNION ALL SELECT '" + KindAnnounce + "', id, status_id, actor_id FROM announces WHERE status_id = ? AND " + notHidden
	var out []TimelineEntry
	if err := s.db.WithContext(ctx).Raw(sql, id, id, id).Scan(&out).Error; err != nil {
		return TimelineEntry{}, translate(err, "get status %d", id)
	}
	if len(out) == 0 {
		return TimelineEntry{}, translate(ErrNotFound, "get status %d", id)
	}
	return out[0], nil
}

// ByIRIs returns the undeleted case studies and shown notes with the
// IRIs, by IRI; those of blocked actors and domains are left out.
func (s *TimelineStore) ByIRIs(ctx context.Context, iris []string) (map[string]TimelineEntry, error) {
	out := map[string]TimelineEntry{}
	if len(iris) == 0 {
		return out, nil
	}
	var rows []struct {
		TimelineEntry
		IRI string
	}
	sql := "SELECT '" + KindCaseStudy + "' AS kind, id, status_id, actor_id, iri FROM case_studies WHERE iri IN ? AND deleted_at IS NULL AND draft = false AND " + notHidden +
		" UNION ALL SELECT '" + KindNote + "', id, status_id, actor_id, iri FROM notes WHERE iri IN ? AND deleted_at IS NULL AND hidden_at IS NULL AND " + notHidden
	if err := s.db.WithContext(ctx).Raw(sql, iris, iris).Scan(&rows).Error; err != nil {
		return nil, translate(err, "get statuses by IRI")
	}
	for _, r := range rows {
		out[r.IRI] = r.TimelineEntry
	}
	return out, nil
}
