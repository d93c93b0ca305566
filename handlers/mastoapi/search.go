package mastoapi

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
)

// Searcher searches what the node knows and, asked to resolve, what a
// handle or URL names elsewhere (*service.Search). It returns an invalid
// error for an empty text or an unknown type, and the store's errors.
type Searcher interface {
	Search(ctx context.Context, q service.SearchQuery) (service.SearchResult, error)
}

// WithSearch gives h the search it answers /api/v2/search with (needed
// before Mount); it returns h.
func (h *Handler) WithSearch(s Searcher) *Handler {
	h.searcher = s
	return h
}

// searchParams are the parameters of a search; exclude_unreviewed,
// max_id and min_id are ignored (every hashtag is reviewed, and results
// are paged by offset).
type searchParams struct {
	Q         string `json:"q"`
	Type      string `json:"type"`
	Resolve   bool   `json:"resolve"`
	Following bool   `json:"following"`
	AccountID string `json:"account_id"`
	Limit     int    `json:"limit"`
	Offset    int    `json:"offset"`
}

// optionalToken lets a request without a token through, and checks the
// token of a request with one as Require(scope) does (401 when it is not
// valid, 403 without the scope).
func (h *Handler) optionalToken(scope string) echo.MiddlewareFunc {
	need := h.scopes.Require(scope)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		checked := need(next)
		return func(c echo.Context) error {
			if c.Request().Header.Get(echo.HeaderAuthorization) == "" {
				return next(c)
			}
			return checked(c)
		}
	}
}

// search answers GET /api/v2/search: accounts, statuses and hashtags
// matching q, at most limit (20, 40 at most) of each from offset. With
// resolve, a handle or URL is fetched and stored first. Resolving and
// paging need a user's token with read:search, as on Mastodon (401
// without one); a token, when sent, must grant read:search.
func (h *Handler) search(c echo.Context) error {
	var p searchParams
	if err := bind(c, &p); err != nil {
		return err
	}
	if strings.TrimSpace(p.Q) == "" {
		return apperr.InvalidFields(map[string]string{"q": "Enter something to search for"})
	}
	if err := request.CheckFilterLength("q", p.Q); err != nil {
		return err
	}
	if p.Offset < 0 {
		return apperr.InvalidFields(map[string]string{"offset": "offset must be 0 or more"})
	}
	// Mastodon's own refusals, word for word: clients may look for them.
	if at, ok := request.Token(c); (p.Offset > 0 || p.Resolve) && (!ok || (at.User == nil && !at.Admin)) {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="pollen"`)
		if p.Offset > 0 {
			return apperr.Errorf(apperr.Unauthorized, "Search queries pagination is not supported without authentication (a user's access token)")
		}
		return apperr.Errorf(apperr.Unauthorized, "Search queries that resolve remote resources are not supported without authentication (a user's access token)")
	}
	q := service.SearchQuery{Text: p.Q, Type: p.Type, Resolve: p.Resolve, Following: p.Following, Offset: p.Offset, Limit: p.Limit}
	if q.Limit <= 0 {
		q.Limit = 20
	}
	q.Limit = min(q.Limit, 40)
	if p.AccountID != "" {
		id, err := strconv.ParseInt(p.AccountID, 10, 64)
		if err != nil || id <= 0 {
			return apperr.InvalidFields(map[string]string{"account_id": "account_id must be an account's id"})
		}
		q.AccountID = id
	}
	ctx := c.Request().Context()
	res, err := h.searcher.Search(ctx, q)
	if err != nil {
		return err
	}
	out := SearchResults{Hashtags: make([]HashtagRef, 0, len(res.Hashtags))}
	if out.Accounts, err = h.accountList(ctx, res.Accounts); err != nil {
		return err
	}
	if out.Statuses, err = h.statuses(ctx, res.Statuses); err != nil {
		return err
	}
	for _, name := range res.Hashtags {
		u := h.cfg.URL("/tags/" + url.PathEscape(strings.ToLower(name)))
		out.Hashtags = append(out.Hashtags, HashtagRef{Name: strings.ToLower(name), URL: u, History: []any{}})
	}
	return c.JSON(http.StatusOK, out)
}

// accountList is actors as Accounts: the organisation's own with its
// counts (read once), any other as its record tells. It returns the
// errors of reading the organisation.
func (h *Handler) accountList(ctx context.Context, as []federation.ActorRecord) ([]Account, error) {
	out := make([]Account, 0, len(as))
	if len(as) == 0 {
		return out, nil
	}
	local, err := h.profile.LocalActor(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		if a.ID != local.ID {
			out = append(out, h.remoteAccount(a))
			continue
		}
		org, _, err := h.organisation(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, org)
	}
	return out, nil
}
