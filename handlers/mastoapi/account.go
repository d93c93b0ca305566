package mastoapi

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/service"
)

// mastodonTime is how Mastodon writes a time: UTC, milliseconds, Z.
const mastodonTime = "2006-01-02T15:04:05.000Z"

// counts are the numbers an instance and the organisation's account show.
type counts struct {
	users, posts, followers, following int64
}

// counts reads the counts: users and local posts as NodeInfo tells them,
// accepted followers, and the peers followed (or asked).
func (h *Handler) counts(ctx context.Context) (counts, error) {
	ni, err := h.docs.NodeInfo(ctx, "2.1")
	if err != nil {
		return counts{}, err
	}
	followers, err := h.follows.Followers(ctx, "accepted", 1, 0)
	if err != nil {
		return counts{}, err
	}
	following, err := h.follows.Following(ctx, 1, 0)
	if err != nil {
		return counts{}, err
	}
	return counts{
		users: int64(ni.Usage.Users.Total), posts: ni.Usage.LocalPosts,
		followers: followers.Total, following: following.Total,
	}, nil
}

// organisation is the organisation's actor as a Mastodon Account: the
// handle as username and acct, its profile fields, its icon as avatar
// (the node's icon when none is set, as the header too: Tusky needs
// both), locked when it approves followers by hand, a group when the node
// is a hub, with its counts, which it returns too. It returns the errors
// of reading the actor and the counts.
func (h *Handler) organisation(ctx context.Context) (Account, counts, error) {
	n, err := h.counts(ctx)
	if err != nil {
		return Account{}, n, err
	}
	a, err := h.profile.LocalActor(ctx)
	if err != nil {
		return Account{}, n, err
	}
	doc, err := h.docs.ActorDocument(ctx, a.Handle)
	if err != nil {
		return Account{}, n, err
	}
	avatar := h.cfg.URL("/static/icon.png")
	if doc.Icon != nil && doc.Icon.URL != "" {
		avatar = doc.Icon.URL
	}
	header := h.cfg.URL("/static/icon.png")
	return Account{
		ID: strconv.FormatInt(a.ID, 10), Username: a.Handle, Acct: a.Handle, URL: a.URL, URI: a.IRI,
		DisplayName: a.Name, Note: doc.Summary,
		Avatar: avatar, AvatarStatic: avatar, Header: header, HeaderStatic: header,
		Locked: a.ManuallyApprovesFollowers, Fields: fields(doc.Attachment), Emojis: []Emoji{},
		Bot: false, Group: h.cfg.IsHub(), Discoverable: a.Discoverable, Indexable: a.Indexable,
		Noindex: !a.Indexable, Roles: []Role{},
		CreatedAt:     a.Published.UTC().Truncate(24 * time.Hour).Format(mastodonTime),
		StatusesCount: n.posts, FollowersCount: n.followers, FollowingCount: n.following,
	}, n, nil
}

// fields are an actor's PropertyValues as an Account's fields.
func fields(props []federation.PropertyValue) []Field {
	out := make([]Field, 0, len(props))
	for _, p := range props {
		out = append(out, Field{Name: p.Name, Value: p.Value})
	}
	return out
}

// remoteAccount is an actor other than the organisation as an Account:
// acct handle@host (the port included), its page as url (its IRI when it
// has none), its icon as avatar (the node's when it has none), a bot when
// it is a Service or an Application, a group when a Group. Its counts
// are not known here: 0.
func (h *Handler) remoteAccount(a federation.ActorRecord) Account {
	acct := a.Handle + "@" + a.Host
	if a.Local {
		acct = a.Handle
	}
	url := a.URL
	if url == "" {
		url = a.IRI
	}
	icon := h.cfg.URL("/static/icon.png")
	avatar := icon
	if a.IconURL != "" {
		avatar = a.IconURL
	}
	created := a.Published
	if created.IsZero() {
		created = a.CreatedAt
	}
	return Account{
		ID: strconv.FormatInt(a.ID, 10), Username: a.Handle, Acct: acct, URL: url, URI: a.IRI,
		DisplayName: a.Name, Note: a.Summary, Avatar: avatar, AvatarStatic: avatar, Header: icon, HeaderStatic: icon,
		Locked: a.ManuallyApprovesFollowers, Fields: []Field{}, Emojis: []Emoji{},
		Bot: a.Type == "Service" || a.Type == "Application", Group: a.Type == "Group",
		Discoverable: a.Discoverable, Indexable: a.Indexable, Noindex: !a.Indexable, Roles: []Role{},
		CreatedAt: created.UTC().Truncate(24 * time.Hour).Format(mastodonTime),
	}
}

// authorActor is what a status tells of its author, as the actor
// remoteAccount takes: its handle (handle@host), name, page, IRI and icon,
// and the status's publication as the account's creation.
func authorActor(a service.StatusAuthor, published time.Time) federation.ActorRecord {
	handle, host, _ := strings.Cut(a.Handle, "@")
	return federation.ActorRecord{
		ID: a.ID, Handle: handle, Host: host, Local: a.Local, Name: a.Name,
		URL: a.URL, IRI: a.IRI, IconURL: a.IconURL, Published: published,
	}
}
