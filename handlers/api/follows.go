package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
)

// followRequest is the body of POST /api/v1/follows.
type followRequest struct {
	Target string `json:"target"`
}

// createFollow answers POST /api/v1/follows {"target": "@handle@host"}:
// 202, since the follow is pending until the peer accepts.
func (h *Handler) createFollow(c echo.Context) error {
	var req followRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Target == "" {
		return apperr.InvalidFields(map[string]string{"target": "is required: @handle@host or an actor URL"})
	}
	f, err := h.follows.Follow(c.Request().Context(), req.Target)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, f)
}

// listFollowing answers GET /api/v1/follows.
func (h *Handler) listFollowing(c echo.Context) error {
	limit, offset, err := limitOffset(c)
	if err != nil {
		return err
	}
	list, err := h.follows.Following(c.Request().Context(), limit, offset)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// deleteFollow answers DELETE /api/v1/follows/{id}: unfollow, 204.
func (h *Handler) deleteFollow(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := h.follows.UnfollowByID(c.Request().Context(), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// listFollowers answers GET /api/v1/followers?state=pending|accepted.
func (h *Handler) listFollowers(c echo.Context) error {
	limit, offset, err := limitOffset(c)
	if err != nil {
		return err
	}
	state := c.QueryParam("state")
	if state != "" && state != federation.FollowPending && state != federation.FollowAccepted {
		return apperr.Errorf(apperr.Invalid, "state must be pending or accepted")
	}
	list, err := h.follows.Followers(c.Request().Context(), state, limit, offset)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// approveFollower answers POST /api/v1/followers/{id}/approve.
func (h *Handler) approveFollower(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	f, err := h.follows.ApproveFollower(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}

// rejectFollower answers POST /api/v1/followers/{id}/reject.
func (h *Handler) rejectFollower(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	f, err := h.follows.RejectFollower(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}

func idParam(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, apperr.Errorf(apperr.Invalid, "the id must be a positive whole number")
	}
	return id, nil
}

func limitOffset(c echo.Context) (int, int, error) {
	q, err := request.CaseStudyFilter(c)
	return q.Limit, q.Offset, err
}
