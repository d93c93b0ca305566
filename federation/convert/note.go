package convert

import (
	"slices"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/sanitize"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// Limits on a received note's tags.
const (
	// MaxNoteHashtags is the most hashtags a received note keeps.
	MaxNoteHashtags = 50
	// MaxMentions is the most mentions a received note keeps.
	MaxMentions = 50
)

// NoteData is a note as the inbox stores it (see models.Note): a post
// of its own or a reply; the author's IRI is resolved to an actor by the
// caller.
type NoteData struct {
	IRI       string
	AuthorIRI string
	// InReplyTo is the IRI of the status it answers, "" for none.
	InReplyTo string
	// Content is sanitised HTML; Summary (a content warning) is plain text.
	Content   string
	Summary   string
	Sensitive bool
	URL       string
	// Visibility is models.VisibilityPublic (the public in to or
	// audience), models.VisibilityUnlisted (the public in cc, bto or bcc),
	// or "" for a note not addressed to the public, which is not kept.
	Visibility string
	Hashtags   []string
	Mentions   []models.Mention
	Published  time.Time
	Updated    time.Time
}

// noteTypes are the object types a note may have.
var noteTypes = []string{"Note", "Article", "Page", "Question"}

// ToNote reads a note, its content sanitised and cut to maxText
// characters of text (0: no limit), its hashtags (valid, de-duplicated)
// and mentions (with an http(s) href) cut to MaxNoteHashtags and
// MaxMentions. It returns a 422 *apperr.Error when the object has no
// absolute http(s) id, is not a Note, Article, Page or Question, replies
// to something that is not an http(s) IRI, has no author, or has neither
// content nor attachments.
func ToNote(o ap.Object, maxText int) (NoteData, error) {
	switch {
	case !ap.AbsoluteHTTP(o.ID):
		return NoteData{}, apperr.Errorf(apperr.Unprocessable, "the note has no absolute http(s) id")
	case !slices.ContainsFunc(noteTypes, o.HasType):
		return NoteData{}, apperr.Errorf(apperr.Unprocessable, "a %q is not a note", ap.Clip(o.Type))
	case o.InReplyTo != "" && !ap.AbsoluteHTTP(o.InReplyTo):
		return NoteData{}, apperr.Errorf(apperr.Unprocessable, "the note replies to no http(s) IRI")
	case o.AttributedTo == "":
		return NoteData{}, apperr.Errorf(apperr.Unprocessable, "the note has no attributedTo")
	}
	n := NoteData{
		IRI: o.ID, AuthorIRI: o.AttributedTo, InReplyTo: o.InReplyTo,
		Content: sanitize.HTMLText(o.Content, maxText), Summary: sanitize.Clip(sanitize.PlainText(o.Summary), MaxSummary),
		Sensitive: o.Sensitive, URL: remoteURL(o), Visibility: visibility(o),
		Hashtags: noteHashtags(o), Mentions: noteMentions(o),
		Published: o.Published, Updated: o.Updated,
	}
	if n.Updated.IsZero() || n.Updated.Before(n.Published) {
		n.Updated = n.Published
	}
	if n.Content == "" && len(o.Attachment) == 0 {
		return NoteData{}, apperr.Errorf(apperr.Unprocessable, "the note has no content")
	}
	return n, nil
}

// visibility is public for the public in to or audience, unlisted for
// the public in cc (or bto, bcc), else "".
func visibility(o ap.Object) string {
	switch {
	case slices.Contains(o.To, ap.PublicIRI) || slices.Contains(o.Audience, ap.PublicIRI):
		return models.VisibilityPublic
	case o.IsPublic():
		return models.VisibilityUnlisted
	}
	return ""
}

// noteHashtags are the valid Hashtag names, de-duplicated regardless of
// case, at most MaxNoteHashtags.
func noteHashtags(o ap.Object) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range o.Hashtags() {
		key := strings.ToLower(t)
		if seen[key] || !ValidTag(t) {
			continue
		}
		if len(out) == MaxNoteHashtags {
			break
		}
		seen[key] = true
		out = append(out, t)
	}
	return out
}

// noteMentions are the Mention tags with an http(s) href, de-duplicated,
// at most MaxMentions: the IRI (and, lacking a profile page, the URL)
// from the href, the acct from the name without its leading "@".
func noteMentions(o ap.Object) []models.Mention {
	seen := map[string]bool{}
	var out []models.Mention
	for _, t := range o.Tag {
		if t.Type != "Mention" || !ap.AbsoluteHTTP(t.Href) || seen[t.Href] {
			continue
		}
		if len(out) == MaxMentions {
			break
		}
		seen[t.Href] = true
		acct := sanitize.Clip(sanitize.CleanText(strings.TrimPrefix(strings.TrimSpace(t.Name), "@")), MaxShortText)
		out = append(out, models.Mention{IRI: t.Href, Acct: acct, URL: t.Href})
	}
	return out
}

// MentionsActor reports whether the note mentions the actor iri.
func (n NoteData) MentionsActor(iri string) bool {
	return slices.ContainsFunc(n.Mentions, func(m models.Mention) bool { return m.IRI == iri })
}

// IsNoteType reports whether the object has a type ToNote reads.
func IsNoteType(o ap.Object) bool { return slices.ContainsFunc(noteTypes, o.HasType) }
