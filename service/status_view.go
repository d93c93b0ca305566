package service

import (
	"context"
	"strconv"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// TimelineItem is a status: a case study, a note, or an announce of a case
// study (Reblog).
type TimelineItem struct {
	// Kind is models.KindCaseStudy, KindNote or KindAnnounce.
	Kind     string
	StatusID string
	// IRI is the object's (the announce activity's, for an announce); URL
	// its page.
	IRI, URL  string
	Author    StatusAuthor
	Published time.Time
	Updated   time.Time
	// CaseStudy is set for a case study, Note for a note, Reblog (a case
	// study) for an announce. CaseStudy holds what a status shows of it
	// (models.Statuses): its IRI, slug, URL, title, summary, service
	// area, tags, hashtags, attachments, author and dates; its body,
	// content and other terms are left empty.
	CaseStudy *CaseStudyView
	Note      *NoteView
	Reblog    *TimelineItem
}

// StatusAuthor is the actor a status is by.
type StatusAuthor struct {
	ID    int64
	IRI   string
	Local bool
	// Handle is the local handle, or handle@host (port included) for a
	// remote actor.
	Handle  string
	Name    string
	URL     string
	IconURL string
}

// NoteView is what a note adds to a status.
type NoteView struct {
	// Content is sanitised HTML; Source the plain text posted (local
	// notes); Summary the content warning.
	Content, Source, Summary string
	Sensitive                bool
	Visibility               string
	// InReplyTo is the IRI of the status it answers; InReplyToID and
	// InReplyToAccountID are its status and author ids when this node
	// holds it.
	InReplyTo, InReplyToID, InReplyToAccountID string
	Hashtags                                   []string
	Mentions                                   []MentionView
}

// MentionView is an actor a note mentions; AccountID is "" when the node
// does not know the actor.
type MentionView struct {
	IRI, Acct, URL, AccountID string
}

// items builds the statuses of timeline entries, in their order, reading
// each kind's rows, the authors, the announced case studies and the
// statuses answered in a few queries. An entry whose row is gone is left
// out.
func (s *Statuses) items(ctx context.Context, entries []models.TimelineEntry) ([]TimelineItem, error) {
	rows, err := s.store.Timelines.Load(ctx, entries)
	if err != nil {
		return nil, err
	}
	var parents []string
	for _, n := range rows.Notes {
		if n.InReplyTo != "" {
			parents = append(parents, n.InReplyTo)
		}
	}
	answered, err := s.store.Timelines.ByIRIs(ctx, parents)
	if err != nil {
		return nil, err
	}
	var mentioned []string
	for _, n := range rows.Notes {
		for _, m := range n.Mentions {
			mentioned = append(mentioned, m.IRI)
		}
	}
	known, err := s.store.Actors.IDsByIRI(ctx, mentioned)
	if err != nil {
		return nil, err
	}
	out := make([]TimelineItem, 0, len(entries))
	for _, e := range entries {
		var it TimelineItem
		var ok bool
		switch e.Kind {
		case models.KindCaseStudy:
			var c models.CaseStudy
			if c, ok = rows.CaseStudies[e.ID]; ok {
				it = caseStudyItem(c, rows.Actors[c.ActorID])
			}
		case models.KindNote:
			var n models.Note
			if n, ok = rows.Notes[e.ID]; ok {
				it = noteItem(n, rows.Actors[n.ActorID], answered, known)
			}
		case models.KindAnnounce:
			var a models.Announce
			var c models.CaseStudy
			if a, ok = rows.Announces[e.ID]; ok {
				if c, ok = rows.CaseStudies[a.CaseStudyID]; ok && !c.Deleted() {
					it = announceItem(a, rows.Actors[a.ActorID], caseStudyItem(c, rows.Actors[c.ActorID]))
				}
			}
		}
		if ok {
			out = append(out, it)
		}
	}
	return out, nil
}

// statusAuthor is an actor as the author of a status.
func statusAuthor(a models.Actor) StatusAuthor {
	handle := a.Handle
	if !a.Local {
		handle += "@" + a.Host
	}
	return StatusAuthor{ID: a.ID, IRI: a.IRI, Local: a.Local, Handle: handle, Name: a.Name, URL: a.URL, IconURL: a.IconURL}
}

// caseStudyItem is a case study as a status.
func caseStudyItem(c models.CaseStudy, author models.Actor) TimelineItem {
	v := toView(c, author)
	return TimelineItem{
		Kind: models.KindCaseStudy, StatusID: strconv.FormatInt(c.StatusID, 10), IRI: c.IRI, URL: c.URL,
		Author: statusAuthor(author), Published: c.Published, Updated: c.Updated, CaseStudy: &v,
	}
}

// announceItem is an announce of a case study as a status that reblogs it.
func announceItem(a models.Announce, by models.Actor, of TimelineItem) TimelineItem {
	return TimelineItem{
		Kind: models.KindAnnounce, StatusID: strconv.FormatInt(a.StatusID, 10), IRI: a.IRI, URL: of.URL,
		Author: statusAuthor(by), Published: a.Published, Updated: a.Published, Reblog: &of,
	}
}

// noteItem is a note as a status; answered holds the statuses its parent
// may be, by IRI, and known the ids of the actors it may mention, by IRI.
func noteItem(n models.Note, author models.Actor, answered map[string]models.TimelineEntry, known map[string]int64) TimelineItem {
	v := NoteView{
		Content: n.Content, Source: n.Source, Summary: n.Summary, Sensitive: n.Sensitive, Visibility: n.Visibility,
		InReplyTo: n.InReplyTo, Hashtags: nonNil(n.Hashtags), Mentions: make([]MentionView, 0, len(n.Mentions)),
	}
	if p, ok := answered[n.InReplyTo]; ok {
		v.InReplyToID, v.InReplyToAccountID = strconv.FormatInt(p.StatusID, 10), strconv.FormatInt(p.ActorID, 10)
	}
	for _, m := range n.Mentions {
		mv := MentionView{IRI: m.IRI, Acct: m.Acct, URL: m.URL}
		if id, ok := known[m.IRI]; ok {
			mv.AccountID = strconv.FormatInt(id, 10)
		}
		v.Mentions = append(v.Mentions, mv)
	}
	url := n.URL
	if url == "" {
		url = n.IRI
	}
	return TimelineItem{
		Kind: models.KindNote, StatusID: strconv.FormatInt(n.StatusID, 10), IRI: n.IRI, URL: url,
		Author: statusAuthor(author), Published: n.Published, Updated: n.Updated, Note: &v,
	}
}
