package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"
)

// caseStudy serves a case study at its IRI: the Article (or a 410
// Tombstone) to ActivityPub clients, the HTML page with its discussion (the
// replies from the fediverse, a page of them at a time: ?page=N) to
// everyone else.
func (h *Handler) caseStudy(c echo.Context) error {
	ctx := c.Request().Context()
	slug := c.Param("slug")
	varyAccept(c)
	if isActivityPub(c.Request().Header.Get(echo.HeaderAccept)) {
		doc, gone, err := h.docs.CaseStudyDocument(ctx, slug)
		if err != nil {
			return err
		}
		if gone {
			return activityJSON(c, http.StatusGone, doc)
		}
		return activityJSON(c, http.StatusOK, doc)
	}
	v, err := h.cases.CaseStudy(ctx, slug)
	if err != nil {
		return err
	}
	page, err := pageParam(c)
	if err != nil {
		return err
	}
	replies, err := h.docs.Replies(ctx, slug, page)
	if err != nil {
		return err
	}
	data := map[string]any{
		"Title": v.Title, "CaseStudy": v, "Replies": replies, "Description": v.Summary, "ActivityURL": v.ID,
	}
	if replies.Page > 1 {
		data["Title"] = fmt.Sprintf("%s (replies, page %d of %d)", v.Title, replies.Page, replies.Pages)
		data["Prev"] = replyPageLink(c, replies.Page-1)
	}
	if replies.Page < replies.Pages {
		data["Next"] = replyPageLink(c, replies.Page+1)
	}
	return h.render(c, http.StatusOK, "casestudy.html", data)
}

// replyPageLink is the address of page n of a case study's discussion.
func replyPageLink(c echo.Context, n int) string {
	u := url.URL{Path: c.Request().URL.Path, Fragment: "discussion-heading"}
	if n > 1 {
		u.RawQuery = "page=" + strconv.Itoa(n)
	}
	return u.String()
}
