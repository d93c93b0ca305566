package models

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Statuses are the rows a page of entries names, by kind and row id, with
// their authors and the case studies the announces name. They hold only
// the columns a status shows: the case studies come without their
// Markdown body, HTML content, outcomes, lessons and extension terms;
// the actors with only their id, IRI, Local, handle, host, name, URL and
// icon (statusActorColumns: no keys, no document).
type Statuses struct {
	CaseStudies map[int64]CaseStudy
	Notes       map[int64]Note
	Announces   map[int64]Announce
	Actors      map[int64]Actor
}

// The columns Load reads, in the order of the scan functions below.
const (
	statusCaseStudyColumns = "id, iri, slug, local, actor_id, status_id, url, title, summary, organisation_type, service_area, " +
		"region, stage, savings_amount, savings_currency, savings_period, ownership_model, contact_name, contact_role, " +
		"contact_email, tags, attachments, published, updated, deleted_at"
	statusNoteColumns = "id, iri, status_id, actor_id, local, url, content, source, summary, sensitive, visibility, " +
		"in_reply_to, case_study_id, hashtags, mentions, published, updated, deleted_at"
	statusActorColumns = "id, iri, local, handle, host, name, url, icon_url"
)

// Load reads the rows of the entries, a query per kind, and their authors
// (and the announced case studies and their authors) in one more, each
// with only the columns a status shows (see Statuses), scanned without
// reflection: this is most of the cost of a page of a timeline.
func (s *TimelineStore) Load(ctx context.Context, entries []TimelineEntry) (Statuses, error) {
	out := Statuses{CaseStudies: map[int64]CaseStudy{}, Notes: map[int64]Note{}, Announces: map[int64]Announce{}}
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
	actorIDs := make([]int64, 0, len(entries)+len(anns))
	for _, a := range anns {
		out.Announces[a.ID] = a
		ids[KindCaseStudy] = append(ids[KindCaseStudy], a.CaseStudyID)
		actorIDs = append(actorIDs, a.ActorID)
	}
	err := s.scanByIDs(ctx, "load case studies", "SELECT "+statusCaseStudyColumns+" FROM case_studies WHERE id IN ?", ids[KindCaseStudy],
		func(r *sql.Rows) error {
			c, err := scanStatusCaseStudy(r)
			out.CaseStudies[c.ID] = c
			actorIDs = append(actorIDs, c.ActorID)
			return err
		})
	if err != nil {
		return out, err
	}
	err = s.scanByIDs(ctx, "load notes", "SELECT "+statusNoteColumns+" FROM notes WHERE id IN ?", ids[KindNote],
		func(r *sql.Rows) error {
			n, err := scanStatusNote(r)
			out.Notes[n.ID] = n
			actorIDs = append(actorIDs, n.ActorID)
			return err
		})
	if err != nil {
		return out, err
	}
	out.Actors, err = s.statusActors(ctx, actorIDs)
	return out, err
}

// statusActors returns the actors with the ids, by id, with only
// statusActorColumns; ErrNotFound if one is missing.
func (s conn) statusActors(ctx context.Context, ids []int64) (map[int64]Actor, error) {
	out := make(map[int64]Actor, len(ids))
	unique := make([]int64, 0, len(ids))
	for _, id := range ids {
		if _, ok := out[id]; !ok {
			out[id] = Actor{}
			unique = append(unique, id)
		}
	}
	clear(out)
	err := s.scanByIDs(ctx, "get actors", "SELECT "+statusActorColumns+" FROM actors WHERE id IN ?", unique, func(r *sql.Rows) error {
		var a Actor
		err := r.Scan(&a.ID, text{&a.IRI}, &a.Local, text{&a.Handle}, text{&a.Host}, text{&a.Name}, text{&a.URL}, text{&a.IconURL})
		out[a.ID] = a
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, id := range unique {
		if _, ok := out[id]; !ok {
			return nil, translate(ErrNotFound, "get actor %d", id)
		}
	}
	return out, nil
}

// scanRows runs query with args and calls scan on each row, without
// gorm's reflection; what names the read in errors.
func (s conn) scanRows(ctx context.Context, what, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := s.db.WithContext(ctx).Raw(query, args...).Rows()
	if err != nil {
		return translate(err, "%s", what)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return translate(err, "%s", what)
		}
	}
	return translate(rows.Err(), "%s", what)
}

// scanByIDs is scanRows for a query with one "IN ?" of ids; nothing
// when there are none.
func (s conn) scanByIDs(ctx context.Context, what, query string, ids []int64, scan func(*sql.Rows) error) error {
	if len(ids) == 0 {
		return nil
	}
	return s.scanRows(ctx, what, query, []any{ids}, scan)
}

// scanStatusCaseStudy scans a row of statusCaseStudyColumns.
func scanStatusCaseStudy(r *sql.Rows) (CaseStudy, error) {
	var c CaseStudy
	err := r.Scan(&c.ID, text{&c.IRI}, &c.Slug, &c.Local, &c.ActorID, &c.StatusID, text{&c.URL}, text{&c.Title},
		text{&c.Summary}, text{&c.OrganisationType}, text{&c.ServiceArea}, text{&c.Region}, text{&c.Stage},
		text{&c.SavingsAmount}, text{&c.SavingsCurrency}, text{&c.SavingsPeriod}, text{&c.OwnershipModel},
		text{&c.ContactName}, text{&c.ContactRole}, text{&c.ContactEmail}, &c.Tags, &c.Attachments,
		moment{&c.Published}, moment{&c.Updated}, &c.DeletedAt)
	return c, err
}

// scanStatusNote scans a row of statusNoteColumns.
func scanStatusNote(r *sql.Rows) (Note, error) {
	var n Note
	err := r.Scan(&n.ID, text{&n.IRI}, &n.StatusID, &n.ActorID, &n.Local, text{&n.URL}, text{&n.Content}, text{&n.Source},
		text{&n.Summary}, &n.Sensitive, text{&n.Visibility}, text{&n.InReplyTo}, &n.CaseStudyID, &n.Hashtags, &n.Mentions,
		moment{&n.Published}, moment{&n.Updated}, &n.DeletedAt)
	return n, err
}

// text scans a text column into a string, "" for NULL, as gorm does.
type text struct{ s *string }

// Scan implements sql.Scanner.
func (t text) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t.s = ""
	case string:
		*t.s = v
	case []byte:
		*t.s = string(v)
	default:
		return fmt.Errorf("models: cannot scan %T as text", src)
	}
	return nil
}

// moment scans a time column into a time.Time, the zero time for NULL.
type moment struct{ t *time.Time }

// Scan implements sql.Scanner.
func (m moment) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*m.t = time.Time{}
	case time.Time:
		*m.t = v
	default:
		return fmt.Errorf("models: cannot scan %T as a time", src)
	}
	return nil
}
