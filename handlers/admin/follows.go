package admin

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/service/adminops"
)

// Follows are the organisation's follows both ways as the admin area
// changes them (*adminops.Follows): a not found error for an unknown
// follow, a 409 for one not in the state an action needs, Follow's 400
// or 422 for a target it cannot follow.
type Follows interface {
	Lists(ctx context.Context) (adminops.FollowPage, error)
	Follow(ctx context.Context, target string) (federation.FollowView, error)
	One(ctx context.Context, id int64, outbound bool) (federation.FollowView, error)
	Unfollow(ctx context.Context, id int64) error
	Approve(ctx context.Context, id int64) error
	Reject(ctx context.Context, id int64) error
	Remove(ctx context.Context, id int64) error
}

// followPages answer /admin/follows, for admins: the form to follow a
// peer, the peers followed, the followers and their requests.
type followPages struct{ h *Handler }

func (p followPages) mount(e *echo.Echo, mw ...echo.MiddlewareFunc) {
	e.GET("/admin/follows", p.list, mw...)
	e.POST("/admin/follows", p.follow, mw...)
	e.GET("/admin/follows/following/:id/unfollow", p.unfollowForm, mw...)
	e.POST("/admin/follows/following/:id/unfollow", p.unfollow, mw...)
	e.POST("/admin/follows/followers/:id/approve", p.answer, mw...)
	e.POST("/admin/follows/followers/:id/reject", p.answer, mw...)
	e.GET("/admin/follows/followers/:id/remove", p.removeForm, mw...)
	e.POST("/admin/follows/followers/:id/remove", p.remove, mw...)
}

// list answers GET /admin/follows: the follow form, the peers followed and
// the followers with their states; ?done says what was just done.
func (p followPages) list(c echo.Context) error {
	return p.render(c, http.StatusOK, "", nil)
}

// render writes the follows page with target typed in the form and its
// error, if any.
func (p followPages) render(c echo.Context, status int, target string, errs []fieldError) error {
	lists, err := p.h.ops.Follows.Lists(c.Request().Context())
	if err != nil {
		return err
	}
	data := map[string]any{"Title": "Follows", "Lists": lists, "Target": target, "Errors": errs, "Nav": "follows", "Done": c.QueryParam("done")}
	if len(errs) > 0 {
		data["TargetError"] = errs[0].Message
	}
	return p.h.render(c, status, "admin_follows.html", data)
}

// follow answers POST /admin/follows (target: @name@host or an actor's
// URL): the node follows it, or the form shows why it cannot.
func (p followPages) follow(c echo.Context) error {
	target := strings.TrimSpace(c.FormValue("target"))
	if target == "" {
		return p.render(c, http.StatusUnprocessableEntity, target, []fieldError{{"target", "Enter the handle (@name@host) or the URL of the account to follow"}})
	}
	v, err := p.h.ops.Follows.Follow(acting(c), target)
	if err != nil {
		fe, status, ok := formError(err, "target")
		if !ok {
			return err
		}
		return p.render(c, status, target, []fieldError{fe})
	}
	return seeOther(c, "/admin/follows?done="+url.QueryEscape("Asked to follow "+v.Actor.Handle+"."))
}

// unfollowForm answers GET /admin/follows/following/{id}/unfollow: the
// page that asks to confirm.
func (p followPages) unfollowForm(c echo.Context) error {
	v, err := p.one(c, true)
	if err != nil {
		return err
	}
	return p.h.confirm(c, "follows", "Stop following "+v.Actor.Handle+"?",
		"Its new case studies will no longer reach this node. You can follow it again later.",
		c.Request().URL.Path, "Yes, stop following", "/admin/follows")
}

// unfollow answers POST /admin/follows/following/{id}/unfollow: the Undo
// is sent and the follow forgotten.
func (p followPages) unfollow(c echo.Context) error {
	v, err := p.one(c, true)
	if err != nil {
		return err
	}
	if err := p.h.ops.Follows.Unfollow(acting(c), v.ID); err != nil {
		return err
	}
	return seeOther(c, "/admin/follows?done="+url.QueryEscape("Stopped following "+v.Actor.Handle+"."))
}

// answer answers POST /admin/follows/followers/{id}/approve and
// /reject: a follow request accepted or refused, the peer told.
func (p followPages) answer(c echo.Context) error {
	v, err := p.one(c, false)
	if err != nil {
		return err
	}
	do, done := p.h.ops.Follows.Approve, "Approved "
	if strings.HasSuffix(c.Path(), "/reject") {
		do, done = p.h.ops.Follows.Reject, "Rejected "
	}
	if err := do(acting(c), v.ID); err != nil {
		return err
	}
	return seeOther(c, "/admin/follows?done="+url.QueryEscape(done+v.Actor.Handle+"."))
}

// removeForm answers GET /admin/follows/followers/{id}/remove: the page
// that asks to confirm.
func (p followPages) removeForm(c echo.Context) error {
	v, err := p.one(c, false)
	if err != nil {
		return err
	}
	return p.h.confirm(c, "follows", "Remove the follower "+v.Actor.Handle+"?",
		"It will be told its follow was rejected, and this node's case studies will no longer be sent to it. It can ask to follow again.",
		c.Request().URL.Path, "Yes, remove it", "/admin/follows")
}

// remove answers POST /admin/follows/followers/{id}/remove: the follower
// is removed and sent a Reject.
func (p followPages) remove(c echo.Context) error {
	v, err := p.one(c, false)
	if err != nil {
		return err
	}
	if err := p.h.ops.Follows.Remove(acting(c), v.ID); err != nil {
		return err
	}
	return seeOther(c, "/admin/follows?done="+url.QueryEscape("Removed the follower "+v.Actor.Handle+"."))
}

// one is the follow of the route's :id, outbound or a follower's.
func (p followPages) one(c echo.Context, outbound bool) (federation.FollowView, error) {
	id, err := idParam(c)
	if err != nil {
		return federation.FollowView{}, err
	}
	return p.h.ops.Follows.One(c.Request().Context(), id, outbound)
}
