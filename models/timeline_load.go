package models

import (
	"context"
	"database/sql"
	"strings"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// Statuses are the rows a page of entries names, by kind and row id, with
// their authors and the case studies the announces name. They hold only
// the columns a status shows, which are most of the cost of a page:
// the case studies their IRI, slug, Local, author, status id, URL,
// title, summary, service area, tags, attachments and dates
// (statusCaseStudyColumns: not their body, content, organisation type,
// region, stage, outcomes, savings, ownership, lessons, contact or
// extension terms); the actors their id, IRI, Local, handle, host, name,
// URL and icon (statusActorColumns: no keys, no document).
type Statuses struct {
	CaseStudies map[int64]CaseStudy
	Notes       map[int64]Note
	Announces   map[int64]Announce
	Actors      map[int64]Actor
}

// The columns Load reads, in the order of the scan functions below.
const (
	statusCaseStudyColumns = "id, iri, slug, local, actor_id, status_id, url, title, summary, service_area, tags, attachments, " +
		"published, updated, deleted_at"
	statusNoteColumns = "id, iri, status_id, actor_id, local, url, content, source, summary, sensitive, visibility, " +
		"in_reply_to, case_study_id, hashtags, mentions, published, updated, deleted_at"
	statusActorColumns = "id, iri, local, handle, host, name, url, icon_url"
)

// The queries of Load, the rows of a kind with their authors' columns,
// by whether the database is PostgreSQL.
var (
	statusCaseStudiesQuery = map[bool]string{true: statusQuery("case_studies", statusCaseStudyColumns, true),
		false: statusQuery("case_studies", statusCaseStudyColumns, false)}
	statusNotesQuery = map[bool]string{true: statusQuery("notes", statusNoteColumns, true), false: statusQuery("notes", statusNoteColumns, false)}
)

// statusQuery is the query of the rows of table by id (one "IN ?"), its
// columns and its author's. On SQLite the dates are read as text and
// parsed by dbconn.Time: the driver would try another layout first on each.
func statusQuery(table, columns string, postgres bool) string {
	cols := strings.Split(columns, ", ")
	for i, c := range cols {
		cols[i] = "t." + c
		if !postgres && (c == "published" || c == "updated" || c == "deleted_at") {
			cols[i] = "CAST(t." + c + " AS TEXT)"
		}
	}
	return "SELECT " + strings.Join(cols, ", ") + ", a." + strings.ReplaceAll(statusActorColumns, ", ", ", a.") +
		" FROM " + table + " t JOIN actors a ON a.id = t.actor_id WHERE t.id IN ?"
}

// Load reads the rows of the entries with their authors, a query per
// kind (the announces, their authors and the case studies they name in
// more, when there are any), each with only the columns a status shows
// (see Statuses), scanned without reflection: this is most of the cost of
// a page of a timeline. A row whose author is missing (the foreign key
// forbids it) is left out, as a missing row is.
func (s *TimelineStore) Load(ctx context.Context, entries []TimelineEntry) (Statuses, error) {
	out := Statuses{CaseStudies: map[int64]CaseStudy{}, Notes: map[int64]Note{}, Announces: map[int64]Announce{},
		Actors: map[int64]Actor{}}
	ids := map[string][]int64{}
	for _, e := range entries {
		ids[e.Kind] = append(ids[e.Kind], e.ID)
	}
	var anns []Announce
	if len(ids[KindAnnounce]) > 0 {
		if err := s.db.WithContext(ctx).Where("id IN ?", ids[KindAnnounce]).Find(&anns).Error; err != nil {
			return out, translate(err, "load announces")
		}
	}
	var boosters []int64
	for _, a := range anns {
		out.Announces[a.ID] = a
		ids[KindCaseStudy] = append(ids[KindCaseStudy], a.CaseStudyID)
		boosters = append(boosters, a.ActorID)
	}
	err := s.scanByIDs(ctx, "load case studies", statusCaseStudiesQuery[s.postgres], ids[KindCaseStudy], func(r *sql.Rows) error {
		var c CaseStudy
		var a Actor
		err := r.Scan(append(caseStudyFields(&c), actorFields(&a)...)...)
		out.CaseStudies[c.ID], out.Actors[a.ID] = c, a
		return err
	})
	if err != nil {
		return out, err
	}
	err = s.scanByIDs(ctx, "load notes", statusNotesQuery[s.postgres], ids[KindNote], func(r *sql.Rows) error {
		var n Note
		var a Actor
		err := r.Scan(append(noteFields(&n), actorFields(&a)...)...)
		out.Notes[n.ID], out.Actors[a.ID] = n, a
		return err
	})
	if err != nil || len(boosters) == 0 {
		return out, err
	}
	byID, err := s.statusActors(ctx, boosters)
	for id, a := range byID {
		out.Actors[id] = a
	}
	return out, err
}

// statusActors returns the actors with the ids, by id, with only
// statusActorColumns; ErrNotFound if one is missing.
func (s conn) statusActors(ctx context.Context, ids []int64) (map[int64]Actor, error) {
	out := make(map[int64]Actor, len(ids))
	err := s.scanByIDs(ctx, "get actors", "SELECT "+statusActorColumns+" FROM actors WHERE id IN ?", ids, func(r *sql.Rows) error {
		var a Actor
		err := r.Scan(actorFields(&a)...)
		out[a.ID] = a
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if _, ok := out[id]; !ok {
			return nil, translate(ErrNotFound, "get actor %d", id)
		}
	}
	return out, nil
}

// scanByIDs is dbconn.ScanRows for a query with one "IN ?" of ids; nothing
// when there are none.
func (s conn) scanByIDs(ctx context.Context, what, query string, ids []int64, scan func(*sql.Rows) error) error {
	if len(ids) == 0 {
		return nil
	}
	return dbconn.ScanRows(s.db.WithContext(ctx), what, query, []any{ids}, scan)
}

// caseStudyFields are where the columns of statusCaseStudyColumns go.
func caseStudyFields(c *CaseStudy) []any {
	return []any{&c.ID, dbconn.TextOf(&c.IRI), &c.Slug, &c.Local, &c.ActorID, &c.StatusID, dbconn.TextOf(&c.URL), dbconn.TextOf(&c.Title),
		dbconn.TextOf(&c.Summary), dbconn.TextOf(&c.ServiceArea), &c.Tags, &c.Attachments, dbconn.TimeOf(&c.Published), dbconn.TimeOf(&c.Updated), dbconn.OptionalTimeOf(&c.DeletedAt)}
}

// noteFields are where the columns of statusNoteColumns go.
func noteFields(n *Note) []any {
	return []any{&n.ID, dbconn.TextOf(&n.IRI), &n.StatusID, &n.ActorID, &n.Local, dbconn.TextOf(&n.URL), dbconn.TextOf(&n.Content), dbconn.TextOf(&n.Source),
		dbconn.TextOf(&n.Summary), &n.Sensitive, dbconn.TextOf(&n.Visibility), dbconn.TextOf(&n.InReplyTo), &n.CaseStudyID, &n.Hashtags, &n.Mentions,
		dbconn.TimeOf(&n.Published), dbconn.TimeOf(&n.Updated), dbconn.OptionalTimeOf(&n.DeletedAt)}
}

// actorFields are where the columns of statusActorColumns go.
func actorFields(a *Actor) []any {
	return []any{&a.ID, dbconn.TextOf(&a.IRI), &a.Local, dbconn.TextOf(&a.Handle), dbconn.TextOf(&a.Host), dbconn.TextOf(&a.Name), dbconn.TextOf(&a.URL), dbconn.TextOf(&a.IconURL)}
}
