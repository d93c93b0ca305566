package admin

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/service/adminops"
)

// Discussion is the moderation of the received notes
// (*adminops.Discussion): a not found error for an unknown note.
type Discussion interface {
	Page(ctx context.Context, n int) (adminops.ReplyPage, error)
	Reply(ctx context.Context, id int64) (adminops.Reply, error)
	Hide(ctx context.Context, id int64, hidden bool) error
	Delete(ctx context.Context, id int64) error
}

// discussionPages answer /admin/discussion, for the staff of either role:
// every note received, to hide, show again or delete.
type discussionPages struct{ h *Handler }

func (p discussionPages) mount(e *echo.Echo, mw ...echo.MiddlewareFunc) {
	e.GET("/admin/discussion", p.list, mw...)
	e.POST("/admin/discussion/:id/hide", p.hide, mw...)
	e.POST("/admin/discussion/:id/show", p.hide, mw...)
	e.GET("/admin/discussion/:id/delete", p.deleteForm, mw...)
	e.POST("/admin/discussion/:id/delete", p.delete, mw...)
}

// list answers GET /admin/discussion: the notes received, newest first,
// a page at a time (?page=N); ?done says what was just done.
func (p discussionPages) list(c echo.Context) error {
	n, err := request.PageParam(c)
	if err != nil {
		return err
	}
	page, err := p.h.ops.Discussion.Page(c.Request().Context(), n)
	if err != nil {
		return err
	}
	data := map[string]any{"Title": "Discussion", "Replies": page, "Nav": "discussion", "Done": c.QueryParam("done")}
	if page.Page > 1 {
		data["Title"] = "Discussion (page " + strconv.Itoa(page.Page) + " of " + strconv.Itoa(page.Pages) + ")"
		data["Prev"] = "/admin/discussion?page=" + strconv.Itoa(page.Page-1)
	}
	if page.Page < page.Pages {
		data["Next"] = "/admin/discussion?page=" + strconv.Itoa(page.Page+1)
	}
	return p.h.render(c, http.StatusOK, "admin_discussion.html", data)
}

// hide answers POST /admin/discussion/{id}/hide and /show: the note
// hidden from the pages, the replies collections and the timelines, or
// shown again; back to the page it was on (page).
func (p discussionPages) hide(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	hidden := strings.HasSuffix(c.Path(), "/hide")
	if err := p.h.ops.Discussion.Hide(acting(c), id, hidden); err != nil {
		return err
	}
	done := "The reply is shown again."
	if hidden {
		done = "The reply is hidden. It is kept, and can be shown again."
	}
	back := url.Values{"done": {done}}
	if n, err := strconv.Atoi(c.FormValue("page")); err == nil && n > 1 {
		back.Set("page", strconv.Itoa(n))
	}
	return seeOther(c, "/admin/discussion?"+back.Encode()+"#reply-"+strconv.FormatInt(id, 10))
}

// deleteForm answers GET /admin/discussion/{id}/delete: the page that
// asks to confirm.
func (p discussionPages) deleteForm(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	r, err := p.h.ops.Discussion.Reply(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return p.h.confirm(c, "discussion", "Delete the reply by "+r.AuthorHandle+"?",
		"It is removed from this node for good: no record of it is kept (hide it instead to keep it). This cannot be undone.",
		c.Request().URL.Path, "Yes, delete it", "/admin/discussion")
}

// delete answers POST /admin/discussion/{id}/delete.
func (p discussionPages) delete(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := p.h.ops.Discussion.Delete(acting(c), id); err != nil {
		return err
	}
	return seeOther(c, "/admin/discussion?done="+url.QueryEscape("The reply was deleted."))
}
