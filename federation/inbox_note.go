package federation

import (
	"context"
	"errors"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/convert"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// saveNote stores a received note, public or unlisted, when it concerns
// us: it answers one of our statuses or a note down a thread one of our
// case studies starts (joining that discussion), it mentions our actor
// (both from anyone, with a mention notification for the first two
// kinds), or its author is followed; or a search resolved it. An edit
// replaces the content of a note its author sent before, never another
// actor's.
func (in inbound) saveNote(ctx context.Context, obj ap.Object) error {
	if !convert.IsNoteType(obj) {
		return nil
	}
	d, err := convert.ToNote(obj, in.cfg.MaxReplyChars)
	if err != nil {
		return err
	}
	if d.AuthorIRI != in.actor.IRI {
		return apperr.Errorf(apperr.Forbidden, "the note is attributed to %s, not to %s", d.AuthorIRI, in.actor.IRI)
	}
	if d.Visibility == "" {
		return nil // direct and followers-only notes are not kept
	}
	existing, err := in.store.Notes.ByIRI(ctx, d.IRI)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	known := err == nil
	thread, answersUs, err := in.noteThread(ctx, d.InReplyTo)
	if err != nil {
		return err
	}
	notify := !known && (answersUs || d.MentionsActor(in.local.IRI))
	if !known && !notify && thread == nil && !in.backfilling {
		following, err := in.store.Follows.IsFollowing(ctx, in.local.ID, in.actor.ID)
		if err != nil || !following {
			in.log.Debug("ignoring a note that does not concern us", "object", d.IRI)
			return err
		}
	}
	if known {
		thread = existing.CaseStudyID
	}
	n := noteRow(d, in.actor.ID, thread)
	if n.Published.IsZero() {
		n.Published = in.now().UTC()
	}
	defer in.docCache.Changed() // a case study's Article lists its replies
	err = in.svc.atomically(ctx, func(tx *models.Store) error {
		if err := tx.Notes.Save(ctx, &n); err != nil || !notify {
			return err
		}
		return tx.Notifications.Add(ctx, &models.Notification{Type: models.NotifyMention, ActorID: in.actor.ID, StatusID: n.StatusID})
	})
	if errors.Is(err, models.ErrConflict) {
		in.log.Warn("refusing a change to another actor's note", "note", d.IRI, "by", in.actor.IRI)
		return nil
	}
	if err == nil {
		in.log.Info("note received", "note", d.IRI, "in_reply_to", d.InReplyTo)
	}
	return err
}

// noteRow is the row of a received note by actorID.
func noteRow(d convert.NoteData, actorID int64, caseStudyID *int64) models.Note {
	return models.Note{
		IRI: d.IRI, CaseStudyID: caseStudyID, ActorID: actorID, URL: d.URL, InReplyTo: d.InReplyTo,
		Visibility: d.Visibility, Content: d.Content, Summary: d.Summary, Sensitive: d.Sensitive || d.Summary != "",
		Hashtags: d.Hashtags, Mentions: d.Mentions, Published: d.Published, Updated: d.Updated,
	}
}

// noteThread is where a note answering inReplyTo belongs: the id of our
// case study whose discussion it joins (the one it answers, or the one the
// note it answers joined), and whether it answers one of our statuses (a
// case study or a local note) directly.
func (in inbound) noteThread(ctx context.Context, inReplyTo string) (*int64, bool, error) {
	if inReplyTo == "" {
		return nil, false, nil
	}
	local := in.fetcher.IsLocal(inReplyTo)
	if local {
		cs, err := in.store.CaseStudies.ByIRI(ctx, inReplyTo)
		if err == nil && cs.Local {
			return &cs.ID, !cs.Deleted(), nil
		}
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return nil, false, err
		}
	}
	parent, err := in.store.Notes.ByIRI(ctx, inReplyTo)
	if errors.Is(err, models.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return parent.CaseStudyID, local && parent.Local && !parent.Deleted(), nil
}
