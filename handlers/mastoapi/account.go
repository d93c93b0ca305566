package mastoapi

import (
	"context"
	"strconv"
	"time"

	"github.com/pollen-coop/pollen/federation"
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
