package mastoapi

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/service"
)

// followPageParams are the parameters of a page of accounts keyed by
// follow id, as Mastodon pages followers, follows and follow requests.
type followPageParams struct {
	MaxID   int64 `json:"max_id"`
	SinceID int64 `json:"since_id"`
	Limit   int   `json:"limit"`
}

// readFollowPage binds a page's parameters: limit 40 by default, at most
// 80; ids must be numbers (else a 422 naming them).
func readFollowPage(c echo.Context) (followPageParams, error) {
	var p followPageParams
	if err := bind(c, &p); err != nil {
		return p, err
	}
	if p.Limit <= 0 {
		p.Limit = 40
	}
	p.Limit = min(p.Limit, 80)
	return p, nil
}

// followEntry is one account of a page and the id of the follow that
// puts it there.
type followEntry struct {
	followID int64
	account  Account
}

// accountFollowers answers GET /api/v1/accounts/:id/followers: for the
// organisation, its accepted followers; for another account, what the
// node knows of them, the organisation when it follows that account.
func (h followRoutes) accountFollowers(c echo.Context) error { return h.accountFollows(c, false) }

// accountFollowing answers GET /api/v1/accounts/:id/following: for the
// organisation, the peers it follows or asked to follow (as its
// following_count counts them); for another account, the organisation
// when that account follows it.
func (h followRoutes) accountFollowing(c echo.Context) error { return h.accountFollows(c, true) }

// accountFollows answers the followers (following false) or the follows
// of an account, newest follow first, paged by follow id with a Link
// header; no token needed. An id that names no actor is a JSON 404.
func (h followRoutes) accountFollows(c echo.Context, following bool) error {
	p, err := readFollowPage(c)
	if err != nil {
		return err
	}
	org, target, err := h.accountPair(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var entries []followEntry
	if target.ID == org.ID {
		state := "accepted"
		if following {
			state = ""
		}
		entries, err = h.followPage(ctx, service.FollowPage{LocalID: org.ID, Following: following, State: state}, p)
	} else {
		entries, err = h.knownFollows(ctx, org.ID, target.ID, following, p)
	}
	if err != nil {
		return err
	}
	return h.answerAccounts(c, p, entries)
}

// followPage reads a page of the organisation's follows (q without its
// bounds, which p gives) as Accounts.
func (h followRoutes) followPage(ctx context.Context, q service.FollowPage, p followPageParams) ([]followEntry, error) {
	q.MaxID, q.SinceID, q.Limit = p.MaxID, p.SinceID, p.Limit
	fs, err := h.accounts.FollowPage(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]followEntry, 0, len(fs))
	for _, f := range fs {
		out = append(out, followEntry{followID: f.FollowID, account: h.remoteAccount(f.Actor)})
	}
	return out, nil
}

// knownFollows is what the node knows of another account's followers
// (following false) or follows: the organisation, when it follows that
// account or that account follows it, accepted; nothing else.
func (h followRoutes) knownFollows(ctx context.Context, org, id int64, following bool, p followPageParams) ([]followEntry, error) {
	states, err := h.accounts.FollowStatesWith(ctx, org, []int64{id})
	if err != nil || len(states) == 0 {
		return nil, err
	}
	follower, followed := id, org
	state := states[0].In
	if !following {
		follower, followed, state = org, id, states[0].Out
	}
	if state != "accepted" {
		return nil, nil
	}
	fid, err := h.accounts.FollowID(ctx, follower, followed)
	if err != nil {
		return nil, err
	}
	if (p.MaxID > 0 && fid >= p.MaxID) || (p.SinceID > 0 && fid <= p.SinceID) {
		return nil, nil
	}
	acc, _, err := h.organisation(ctx)
	if err != nil {
		return nil, err
	}
	return []followEntry{{followID: fid, account: acc}}, nil
}

// answerAccounts answers a page of accounts with its Link header: next
// (older) by max_id, prev (newer) by since_id, as Mastodon pages them.
func (h followRoutes) answerAccounts(c echo.Context, p followPageParams, entries []followEntry) error {
	out := make([]Account, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.account)
	}
	if len(entries) > 0 {
		link := func(key string, id int64, rel string) string {
			q := url.Values{"limit": {strconv.Itoa(p.Limit)}, key: {strconv.FormatInt(id, 10)}}
			return "<" + h.cfg.URL(c.Request().URL.Path) + "?" + q.Encode() + `>; rel="` + rel + `"`
		}
		c.Response().Header().Set("Link", link("max_id", entries[len(entries)-1].followID, "next")+", "+
			link("since_id", entries[0].followID, "prev"))
	}
	return c.JSON(http.StatusOK, out)
}
