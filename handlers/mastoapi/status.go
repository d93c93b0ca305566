package mastoapi

import (
	"context"
	"html"
	"net/url"
	"strconv"
	"strings"

	"github.com/pollen-coop/pollen/service"
)

// Statuses reads case studies as statuses: a timeline page and one by its
// status id. Timeline returns an invalid error for a malformed id;
// StatusByID a not found error for an unknown one; both the store's.
type Statuses interface {
	Timeline(ctx context.Context, f service.TimelineFilter) ([]service.TimelineItem, error)
	StatusByID(ctx context.Context, id string) (service.TimelineItem, error)
}

// statuses converts case studies to statuses; the organisation's account
// is read once, when one of them is ours. It returns the errors of
// reading the organisation.
func (h *Handler) statuses(ctx context.Context, items []service.TimelineItem) ([]Status, error) {
	out := make([]Status, 0, len(items))
	var org *Account
	for _, it := range items {
		if it.AuthorLocal && org == nil {
			a, _, err := h.organisation(ctx)
			if err != nil {
				return nil, err
			}
			org = &a
		}
		out = append(out, h.status(it, org))
	}
	return out, nil
}

// status is a case study as Mastodon shows an Article: the title in bold,
// the summary, a link to its page and its hashtags, with a card; org is
// the organisation's account, used when the author is local.
func (h *Handler) status(it service.TimelineItem, org *Account) Status {
	account := h.authorAccount(it)
	if it.AuthorLocal && org != nil {
		account = *org
	}
	tags := make([]Tag, 0, len(it.Hashtags))
	links := make([]string, 0, len(it.Hashtags))
	for _, name := range it.Hashtags {
		t := Tag{Name: strings.ToLower(name), URL: h.cfg.URL("/tags/" + url.PathEscape(strings.ToLower(name)))}
		tags = append(tags, t)
		links = append(links, `<a href="`+html.EscapeString(t.URL)+`" class="mention hashtag" rel="tag">#<span>`+html.EscapeString(name)+`</span></a>`)
	}
	content := "<p><strong>" + html.EscapeString(it.Title) + "</strong></p>"
	if it.Summary != "" {
		content += "<p>" + html.EscapeString(it.Summary) + "</p>"
	}
	if it.URL != "" {
		u := html.EscapeString(it.URL)
		content += `<p><a href="` + u + `" rel="nofollow noopener" target="_blank">` + u + `</a></p>`
	}
	if len(links) > 0 {
		content += "<p>" + strings.Join(links, " ") + "</p>"
	}
	page := it.URL
	if page == "" {
		page = it.ID
	}
	s := Status{
		ID: it.StatusID, URI: it.ID, URL: page, CreatedAt: it.Published.UTC().Format(mastodonTime),
		Account: account, Content: content, Visibility: "public", SpoilerText: "",
		MediaAttachments: media(it), Mentions: []Mention{}, Tags: tags, Emojis: []Emoji{}, Filtered: []any{},
		Card: &PreviewCard{
			URL: it.URL, Title: it.Title, Description: it.Summary, Type: "link",
			AuthorName: it.Author.Name, AuthorURL: it.Author.URL,
			ProviderName: account.DisplayName, ProviderURL: account.URL,
		},
	}
	if it.Updated.After(it.Published) {
		edited := it.Updated.UTC().Format(mastodonTime)
		s.EditedAt = &edited
	}
	return s
}

// media are a case study's image attachments; an attachment's id is the
// status id and its position.
func media(it service.TimelineItem) []MediaAttachment {
	out := []MediaAttachment{}
	for i, a := range it.Attachments {
		if !strings.HasPrefix(a.MediaType, "image/") {
			continue
		}
		m := MediaAttachment{ID: it.StatusID + strconv.Itoa(i), Type: "image", URL: a.URL, PreviewURL: a.URL, Meta: map[string]any{}}
		if a.Name != "" {
			name := a.Name
			m.Description = &name
		}
		out = append(out, m)
	}
	return out
}

// authorAccount is the author of a case study as an Account: acct is the
// handle at the host (port included), the avatar and header the node's
// icon when the actor has none.
func (h *Handler) authorAccount(it service.TimelineItem) Account {
	return h.remoteAccount(authorActor(it))
}
