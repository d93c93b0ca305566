package mastoapi

import (
	"context"
	"html"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/service"
)

// Statuses reads statuses: a timeline page, one by its status id, and its
// thread. Timeline returns an invalid error for a malformed id;
// StatusByID and StatusContext a not found error for an unknown one;
// Post posts a note as the user (0: an admin token) and DeleteStatus
// deletes one of the organisation's notes (see service.Statuses); all the
// store's.
type Statuses interface {
	Post(ctx context.Context, user int64, in service.PostInput) (service.TimelineItem, error)
	DeleteStatus(ctx context.Context, id string) (service.TimelineItem, error)
	Timeline(ctx context.Context, f service.TimelineFilter) ([]service.TimelineItem, error)
	StatusByID(ctx context.Context, id string) (service.TimelineItem, error)
	StatusContext(ctx context.Context, id string) (ancestors, descendants []service.TimelineItem, err error)
	// Changes counts the changes this process committed to what statuses
	// are built from (models.Store.Changes).
	Changes() uint64
}

// statuses converts timeline items to statuses; the organisation's
// account is read once, when one of them is ours (and reused for a
// moment: statusOrganisation). It returns the errors
// of reading the organisation.
func (h *Handler) statuses(ctx context.Context, items []service.TimelineItem) ([]Status, error) {
	out := make([]Status, 0, len(items))
	var org *Account
	for _, it := range items {
		local := it.Author.Local || (it.Reblog != nil && it.Reblog.Author.Local)
		if local && org == nil {
			a, err := h.statusOrganisation(ctx)
			if err != nil {
				return nil, err
			}
			org = &a
		}
		out = append(out, h.status(it, org))
	}
	return out, nil
}

// status is a timeline item as a Status: a case study as Mastodon shows an
// Article, a note as it is, an announce as a status reblogging the case
// study; org is the organisation's account, used when the author is local.
func (h *Handler) status(it service.TimelineItem, org *Account) Status {
	account := h.authorAccount(it.Author, it.Published)
	if it.Author.Local && org != nil {
		account = *org
	}
	s := Status{
		ID: it.StatusID, URI: it.IRI, URL: it.URL, CreatedAt: it.Published.UTC().Format(mastodonTime),
		Account: account, Visibility: "public", MediaAttachments: []MediaAttachment{}, Mentions: []Mention{},
		Tags: []Tag{}, Emojis: []Emoji{}, Filtered: []any{},
	}
	if it.Updated.After(it.Published) {
		edited := it.Updated.UTC().Format(mastodonTime)
		s.EditedAt = &edited
	}
	switch {
	case it.CaseStudy != nil:
		h.caseStudyStatus(&s, *it.CaseStudy, account)
	case it.Note != nil:
		h.noteStatus(&s, *it.Note)
	case it.Reblog != nil:
		r := h.status(*it.Reblog, org)
		s.Reblog, s.URL = &r, r.URL
	}
	return s
}

// caseStudyStatus fills in a case study's status: the title in bold, the
// summary, a link to its page and its hashtags, with a card.
func (h *Handler) caseStudyStatus(s *Status, cs service.CaseStudyView, account Account) {
	links := make([]string, 0, len(cs.Hashtags))
	for _, name := range cs.Hashtags {
		t := h.tag(name)
		s.Tags = append(s.Tags, t)
		links = append(links, `<a href="`+html.EscapeString(t.URL)+`" class="mention hashtag" rel="tag">#<span>`+html.EscapeString(name)+`</span></a>`)
	}
	content := "<p><strong>" + html.EscapeString(cs.Title) + "</strong></p>"
	if cs.Summary != "" {
		content += "<p>" + html.EscapeString(cs.Summary) + "</p>"
	}
	if cs.URL != "" {
		u := html.EscapeString(cs.URL)
		content += `<p><a href="` + u + `" rel="nofollow noopener" target="_blank">` + u + `</a></p>`
	}
	if len(links) > 0 {
		content += "<p>" + strings.Join(links, " ") + "</p>"
	}
	if s.URL == "" {
		s.URL = s.URI
	}
	s.Content, s.MediaAttachments = content, media(s.ID, cs.Attachments)
	s.Card = &PreviewCard{
		URL: cs.URL, Title: cs.Title, Description: cs.Summary, Type: "link",
		AuthorName: cs.Author.Name, AuthorURL: cs.Author.URL,
		ProviderName: account.DisplayName, ProviderURL: account.URL,
	}
}

// noteStatus fills in a note's status: its HTML, its content warning,
// the status it answers, its mentions and hashtags.
func (h *Handler) noteStatus(s *Status, n service.NoteView) {
	s.Content, s.SpoilerText, s.Sensitive, s.Visibility = n.Content, n.Summary, n.Sensitive || n.Summary != "", n.Visibility
	if n.InReplyToID != "" {
		id, account := n.InReplyToID, n.InReplyToAccountID
		s.InReplyToID, s.InReplyToAccountID = &id, &account
	}
	for _, m := range n.Mentions {
		username, _, _ := strings.Cut(m.Acct, "@")
		s.Mentions = append(s.Mentions, Mention{ID: m.AccountID, Username: username, URL: m.URL, Acct: m.Acct})
	}
	for _, name := range n.Hashtags {
		s.Tags = append(s.Tags, h.tag(name))
	}
	if n.Source != "" {
		text := n.Source
		s.Text = &text
	}
}

// tag is a hashtag as a Status shows it: the name in lower case and the
// node's page of it.
func (h *Handler) tag(name string) Tag {
	lower := strings.ToLower(strings.TrimPrefix(name, "#"))
	return Tag{Name: lower, URL: h.cfg.URL("/tags/" + url.PathEscape(lower))}
}

// media are a case study's image attachments; an attachment's id is the
// status id and its position.
func media(statusID string, attachments []service.Attachment) []MediaAttachment {
	out := []MediaAttachment{}
	for i, a := range attachments {
		if !strings.HasPrefix(a.MediaType, "image/") {
			continue
		}
		m := MediaAttachment{ID: statusID + strconv.Itoa(i), Type: "image", URL: a.URL, PreviewURL: a.URL, Meta: map[string]any{}}
		if a.Name != "" {
			name := a.Name
			m.Description = &name
		}
		out = append(out, m)
	}
	return out
}

// authorAccount is the author of a status as an Account: acct is the
// handle at the host (port included), the avatar and header the node's
// icon when the actor has none, its creation the day of the status.
func (h *Handler) authorAccount(a service.StatusAuthor, published time.Time) Account {
	return h.remoteAccount(authorActor(a, published))
}
