package mastoapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
)

// followRoutes are the routes that read and change the organisation's
// follows: follow, unfollow, followers, following and the follow
// requests, over the Handler's services.
type followRoutes struct{ *Handler }

// followParams are the parameters of a follow as Mastodon takes them;
// Pollen shows every boost, notifies of nothing and filters no language,
// so it reads them only to refuse a malformed body.
type followParams struct {
	Reblogs   *bool    `json:"reblogs"`
	Notify    *bool    `json:"notify"`
	Languages []string `json:"languages"`
}

// accountPair reads the route's account id and the organisation: the
// actor the id names and the organisation's. It returns a JSON 404 for an
// id that names no actor.
func (h followRoutes) accountPair(c echo.Context) (org, target federation.ActorRecord, err error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return org, target, unknownAccount(c.Param("id"))
	}
	ctx := c.Request().Context()
	if target, err = h.accounts.ActorByID(ctx, id); err != nil {
		return org, target, err
	}
	org, err = h.profile.LocalActor(ctx)
	return org, target, err
}

// follow answers POST /api/v1/accounts/:id/follow (an empty, JSON or form
// body): the organisation follows the account, sending a Follow, and the
// Relationship answers (requested until the account accepts). Following
// the organisation itself is a 422.
func (h followRoutes) follow(c echo.Context) error {
	var p followParams
	if err := bind(c, &p); err != nil {
		return err
	}
	org, target, err := h.accountPair(c)
	if err != nil {
		return err
	}
	if target.ID == org.ID || target.Local {
		return apperr.Errorf(apperr.Unprocessable, "the organisation cannot follow itself")
	}
	if _, err := h.follows.Follow(acting(c), target.IRI); err != nil {
		return err
	}
	return h.answerRelationship(c, org.ID, target.ID)
}

// unfollow answers POST /api/v1/accounts/:id/unfollow: the organisation
// stops following the account (or withdraws its request), sending an
// Undo; the Relationship answers, also when there was no follow.
func (h followRoutes) unfollow(c echo.Context) error {
	if err := bind(c, &struct{}{}); err != nil {
		return err
	}
	org, target, err := h.accountPair(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	id, err := h.accounts.FollowID(ctx, org.ID, target.ID)
	if err == nil {
		err = h.follows.UnfollowByID(acting(c), id)
	}
	if err != nil && !errors.Is(err, federation.ErrNotFound) {
		return err
	}
	return h.answerRelationship(c, org.ID, target.ID)
}

// answerRelationship answers the organisation's (org) Relationship to
// the actor id.
func (h followRoutes) answerRelationship(c echo.Context, org, id int64) error {
	rels, err := h.relationshipsOf(c.Request().Context(), org, []int64{id})
	if err != nil {
		return err
	}
	if len(rels) == 0 {
		return unknownAccount(strconv.FormatInt(id, 10))
	}
	return c.JSON(http.StatusOK, rels[0])
}

// acting is the request's context naming who acts, for the audit log:
// the token's user, the admin token, or the app of a token without a
// user.
func acting(c echo.Context) context.Context {
	ctx := c.Request().Context()
	at, ok := request.Token(c)
	switch {
	case !ok:
		return ctx
	case at.User != nil:
		return service.Acting(ctx, service.Actor{UserID: at.User.ID, Name: at.User.Email})
	case at.Admin:
		return service.Acting(ctx, service.AdminToken)
	}
	return service.Acting(ctx, service.Actor{Name: "app " + at.App})
}
