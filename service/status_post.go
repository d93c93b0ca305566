package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/federation/notedoc"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/service/notetext"
)

// StatusFederation is what statuses need of the protocol engine
// (*federation.Service): what case studies need, the actor of a mention,
// and the queueing of a note's Create or Delete (notedoc) for inboxes in
// the transaction that stores the change.
type StatusFederation interface {
	Federation
	Resolve(ctx context.Context, query string) (federation.Resolved, error)
	QueueNote(ctx context.Context, tx *models.Store, author models.Actor, a notedoc.Activity, inboxes []string) error
}

// Visibilities a client may ask for; only public and unlisted are built.
const (
	VisibilityPublic   = models.VisibilityPublic
	VisibilityUnlisted = models.VisibilityUnlisted
	VisibilityPrivate  = "private"
	VisibilityDirect   = "direct"
)

// idempotencyWindow is how long a post's Idempotency-Key answers the same
// status.
const idempotencyWindow = time.Hour

// PostInput is a note as a client posts it.
type PostInput struct {
	// Status is the plain text; SpoilerText the content warning.
	Status, SpoilerText string
	// InReplyToID is the status id of the status answered, "" for none.
	InReplyToID string
	// Visibility is public (the default) or unlisted.
	Visibility string
	Sensitive  bool
	Language   string
	// IdempotencyKey, when set, makes a repeat of the post by the same
	// user within an hour answer the status the first one made.
	IdempotencyKey string
}

// errKeyTaken rolls back a post whose idempotency key another post took
// meanwhile.
var errKeyTaken = errors.New("service: idempotency key taken")

// Post stores a note by the organisation, posted by the user (0 for an
// admin API token), and queues its Create in the same transaction: to
// the followers, the mentioned actors and the author of the status it
// answers. It returns the new status; a 422 *apperr.Error for an empty
// text, a text over the length limit or a visibility not built; a not
// found error for an unknown in_reply_to_id; or the store's error.
func (s *Statuses) Post(ctx context.Context, user int64, in PostInput) (TimelineItem, error) {
	if in.IdempotencyKey != "" {
		if it, ok, err := s.recall(ctx, user, in.IdempotencyKey); ok || err != nil {
			return it, err
		}
	}
	if err := s.checkPost(&in); err != nil {
		return TimelineItem{}, err
	}
	author, err := s.fed.LocalActor(ctx)
	if err != nil {
		return TimelineItem{}, err
	}
	now := s.now().UTC().Truncate(time.Second)
	n := models.Note{
		Local: true, ActorID: author.ID, Source: in.Status, Summary: in.SpoilerText, Sensitive: in.Sensitive,
		Visibility: in.Visibility, Published: now, Updated: now,
	}
	n.StatusID = models.StatusID(s.now(), author.IRI+"#"+strconv.FormatInt(s.now().UnixNano(), 10))
	n.IRI = s.cfg.URL(fmt.Sprintf("/notes/%d", n.StatusID))
	n.URL = n.IRI
	extra, err := s.answering(ctx, &n, in.InReplyToID)
	if err != nil {
		return TimelineItem{}, err
	}
	mentioned := s.resolveMentions(ctx, in.Status)
	text := notetext.Renderer{TagURL: s.cfg.URL, Mentions: map[string]string{}}
	for acct, a := range mentioned {
		text.Mentions[acct] = a.URL
		if a.URL == "" {
			text.Mentions[acct] = a.IRI
		}
		n.Mentions = append(n.Mentions, models.Mention{IRI: a.IRI, Acct: acct, URL: a.URL})
		extra = append(extra, inboxOf(a))
	}
	n.Content, n.Hashtags = text.Render(in.Status)
	err = s.fed.Atomically(ctx, func(tx *models.Store) error {
		if err := tx.Notes.Create(ctx, &n); err != nil {
			return err
		}
		if in.IdempotencyKey != "" {
			fresh, err := tx.Markers.Remember(ctx, models.IdempotencyKey{UserID: user, Key: in.IdempotencyKey, StatusID: n.StatusID, CreatedAt: now})
			if err != nil {
				return err
			}
			if !fresh {
				return errKeyTaken
			}
		}
		return s.queueNote(ctx, tx, author, notedoc.Create(notedoc.Build(n, author, s.cfg.URL)), extra)
	})
	if errors.Is(err, errKeyTaken) {
		if it, ok, err := s.recall(ctx, user, in.IdempotencyKey); ok || err != nil {
			return it, err
		}
		return TimelineItem{}, apperr.Errorf(apperr.Conflict, "this Idempotency-Key is in use")
	}
	if err != nil {
		return TimelineItem{}, err
	}
	s.log.Info("posted note", "id", n.IRI)
	return s.StatusByID(ctx, strconv.FormatInt(n.StatusID, 10))
}

// recall is the status the user's key posted within the hour, if any; it
// forgets the keys older than that first, so that an old key is free.
func (s *Statuses) recall(ctx context.Context, user int64, key string) (TimelineItem, bool, error) {
	since := s.now().UTC().Add(-idempotencyWindow)
	if err := s.store.Markers.Forget(ctx, since); err != nil {
		return TimelineItem{}, false, err
	}
	id, err := s.store.Markers.Recall(ctx, user, key, since)
	if errors.Is(err, models.ErrNotFound) {
		return TimelineItem{}, false, nil
	}
	if err != nil {
		return TimelineItem{}, false, err
	}
	it, err := s.StatusByID(ctx, strconv.FormatInt(id, 10))
	return it, err == nil, err
}

// checkPost normalises and checks a post: text present and within the
// configured length (the content warning counted too), a visibility that
// is built.
func (s *Statuses) checkPost(in *PostInput) error {
	in.Status = strings.ReplaceAll(strings.TrimSpace(in.Status), "\r\n", "\n")
	in.SpoilerText = strings.TrimSpace(in.SpoilerText)
	switch in.Visibility {
	case "":
		in.Visibility = VisibilityPublic
	case VisibilityPublic, VisibilityUnlisted:
	case VisibilityPrivate, VisibilityDirect:
		return apperr.InvalidFields(map[string]string{"visibility": "visibility " + in.Visibility + " is not supported yet: use public or unlisted"})
	default:
		return apperr.InvalidFields(map[string]string{"visibility": "visibility must be public or unlisted"})
	}
	if in.Status == "" {
		return apperr.InvalidFields(map[string]string{"status": "the status is empty"})
	}
	if n := utf8.RuneCountInString(in.Status) + utf8.RuneCountInString(in.SpoilerText); n > s.cfg.MaxReplyChars {
		return apperr.InvalidFields(map[string]string{"status": "the status is over the character limit of " + strconv.Itoa(s.cfg.MaxReplyChars)})
	}
	return nil
}

// answering sets what n answers from the status id: its IRI, and the
// local case study whose discussion the thread is; it returns the inbox
// of the answered status's author. An announce is answered as the case
// study it announces.
func (s *Statuses) answering(ctx context.Context, n *models.Note, id string) ([]string, error) {
	if id == "" {
		return nil, nil
	}
	it, err := s.StatusByID(ctx, id)
	var ae *apperr.Error
	if errors.Is(err, models.ErrNotFound) || (errors.As(err, &ae) && ae.Kind == apperr.NotFound) {
		return nil, apperr.Errorf(apperr.NotFound, "in_reply_to_id: no status %q to answer", id)
	}
	if err != nil {
		return nil, err
	}
	if it.Reblog != nil {
		it = *it.Reblog
	}
	n.InReplyTo = it.IRI
	switch it.Kind {
	case models.KindCaseStudy:
		if c, err := s.store.CaseStudies.ByIRI(ctx, it.IRI); err == nil && c.Local {
			n.CaseStudyID = &c.ID
		}
	case models.KindNote:
		if p, err := s.store.Notes.ByIRI(ctx, it.IRI); err == nil {
			n.CaseStudyID = p.CaseStudyID
		}
	}
	if it.Author.Local {
		return nil, nil
	}
	a, err := s.store.Actors.ByID(ctx, it.Author.ID)
	if err != nil {
		return nil, err
	}
	return []string{inboxOf(a)}, nil
}

// maxLookups bounds the mentions of one post looked up by WebFinger.
const maxLookups = 10

// resolveMentions finds the actors of the text's @user@host mentions, by
// acct: known ones from the store, others by WebFinger (the first
// maxLookups). A mention that does not resolve is left out (and stays
// text).
func (s *Statuses) resolveMentions(ctx context.Context, text string) map[string]models.Actor {
	out := map[string]models.Actor{}
	lookups := 0
	for _, acct := range notetext.Mentions(text) {
		user, host, _ := strings.Cut(acct, "@")
		a, err := s.store.Actors.ByAcct(ctx, user, host)
		if err != nil {
			if lookups++; lookups > maxLookups {
				continue
			}
			r, err := s.fed.Resolve(ctx, acct)
			if err != nil || r.Kind != federation.ResolvedActor {
				s.log.Info("a mention did not resolve; left as text", "mention", acct, "err", err)
				continue
			}
			a = r.Actor
		}
		out[acct] = a
	}
	return out
}

// inboxOf is where to deliver to a: its shared inbox, else its own; ""
// for a local actor.
func inboxOf(a models.Actor) string {
	if a.Local {
		return ""
	}
	if a.SharedInbox != "" {
		return a.SharedInbox
	}
	return a.Inbox
}

// queueNote queues, in tx, a note's activity for the author's followers
// and the extra inboxes, each inbox once.
func (s *Statuses) queueNote(ctx context.Context, tx *models.Store, author models.Actor, a notedoc.Activity, extra []string) error {
	inboxes, err := tx.Follows.FollowerInboxes(ctx, author.ID)
	if err != nil {
		return err
	}
	for _, inbox := range extra {
		if inbox != "" && !slices.Contains(inboxes, inbox) {
			inboxes = append(inboxes, inbox)
		}
	}
	return s.fed.QueueNote(ctx, tx, author, a, inboxes)
}

// noteInboxes are the inboxes a note was delivered to besides the
// followers': its mentioned actors' and the answered author's.
func (s *Statuses) noteInboxes(ctx context.Context, n models.Note) []string {
	var out []string
	for _, m := range n.Mentions {
		if a, err := s.store.Actors.ByIRI(ctx, m.IRI); err == nil {
			out = append(out, inboxOf(a))
		}
	}
	if n.InReplyTo != "" {
		if found, err := s.store.Timelines.ByIRIs(ctx, []string{n.InReplyTo}); err == nil {
			if e, ok := found[n.InReplyTo]; ok {
				if a, err := s.store.Actors.ByID(ctx, e.ActorID); err == nil {
					out = append(out, inboxOf(a))
				}
			}
		}
	}
	return out
}

// DeleteStatus deletes the organisation's note with the status id, which
// then answers 410, and queues its Delete in the same transaction for the
// inboxes its Create went to. It returns the note as it was (its source
// text included); a 422 *apperr.Error for a case study (deleted in the
// admin area or API); a not found error for an unknown status or one that
// is not the organisation's note; or the store's error.
func (s *Statuses) DeleteStatus(ctx context.Context, id string) (TimelineItem, error) {
	it, err := s.StatusByID(ctx, id)
	if err != nil {
		return it, err
	}
	if it.Kind == models.KindCaseStudy && it.Author.Local {
		return TimelineItem{}, apperr.Errorf(apperr.Unprocessable, "delete case studies from the admin area or its API")
	}
	if it.Kind != models.KindNote || !it.Author.Local {
		return TimelineItem{}, apperr.Errorf(apperr.NotFound, "no such status of yours: %q", id)
	}
	n, err := s.store.Notes.ByIRI(ctx, it.IRI)
	if err != nil {
		return TimelineItem{}, err
	}
	author, err := s.store.Actors.ByID(ctx, n.ActorID)
	if err != nil {
		return TimelineItem{}, err
	}
	extra := s.noteInboxes(ctx, n)
	err = s.fed.Atomically(ctx, func(tx *models.Store) error {
		if err := tx.Notes.Tombstone(ctx, n.ID); err != nil {
			return err
		}
		return s.queueNote(ctx, tx, author, notedoc.Delete(n, author, s.now()), extra)
	})
	if errors.Is(err, models.ErrGone) {
		return TimelineItem{}, apperr.Errorf(apperr.NotFound, "no such status of yours: %q", id)
	}
	if err != nil {
		return TimelineItem{}, err
	}
	s.log.Info("deleted note", "id", n.IRI)
	return it, nil
}
