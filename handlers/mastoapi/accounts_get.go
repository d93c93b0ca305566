package mastoapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
)

// Accounts finds the actors the client API shows as Accounts and the
// follows between them. ActorByID and ActorByAcct return
// federation.ErrNotFound for an unknown actor; FollowStatesWith gives the
// follow states both ways between the organisation (localID) and each
// known actor of ids, in one query, leaving unknown ones out; FollowID the
// ID of actor's follow of target, or federation.ErrNotFound; FollowPage a
// page of the organisation's follows or followers, newest first by follow
// ID. They return the store's other errors.
type Accounts interface {
	ActorByID(ctx context.Context, id int64) (federation.ActorRecord, error)
	ActorByAcct(ctx context.Context, handle, host string) (federation.ActorRecord, error)
	FollowStatesWith(ctx context.Context, localID int64, ids []int64) ([]service.FollowStates, error)
	FollowID(ctx context.Context, actor, target int64) (int64, error)
	FollowPage(ctx context.Context, p service.FollowPage) ([]service.FollowedActor, error)
}

// getAccount answers GET /api/v1/accounts/:id: the actor with that row
// ID, local or remote, as an Account; a JSON 404 for any other ID.
func (h *Handler) getAccount(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return unknownAccount(c.Param("id"))
	}
	a, err := h.accounts.ActorByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return h.showAccount(c, a)
}

// lookupAccount answers GET /api/v1/accounts/lookup?acct=handle[@host]:
// the actor known by that address (a leading @ is ignored; no host, or
// the node's, is a local actor), without asking the network.
func (h *Handler) lookupAccount(c echo.Context) error {
	acct := strings.TrimPrefix(strings.TrimSpace(c.QueryParam("acct")), "@")
	handle, host, _ := strings.Cut(acct, "@")
	if handle == "" {
		return apperr.Errorf(apperr.NotFound, "no such account: %q", acct)
	}
	if host == "" {
		host = h.cfg.Host()
	}
	a, err := h.accounts.ActorByAcct(c.Request().Context(), handle, host)
	if err != nil {
		return err
	}
	return h.showAccount(c, a)
}

// showAccount answers the actor as an Account: the organisation's own with
// its counts, any other as its record tells.
func (h *Handler) showAccount(c echo.Context, a federation.ActorRecord) error {
	ctx := c.Request().Context()
	org, err := h.profile.LocalActor(ctx)
	if err != nil {
		return err
	}
	if a.ID != org.ID {
		return c.JSON(http.StatusOK, h.remoteAccount(a))
	}
	acc, _, err := h.organisation(ctx)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, acc)
}

// unknownAccount is the JSON 404 of an account ID that names no actor.
func unknownAccount(id string) error {
	return apperr.Errorf(apperr.NotFound, "no such account: %q", id)
}
