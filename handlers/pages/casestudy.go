package pages

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/service"
)

// CaseStudy serves a case study's page at its IRI, with its discussion
// (the replies from the fediverse, a page of them at a time: ?page=N).
// ActivityPub clients get the Article at the same IRI (routes.go in
// package handlers chooses).
func (h *Handler) CaseStudy(c echo.Context) error {
	ctx := c.Request().Context()
	slug := c.Param("slug")
	v, err := h.cases.CaseStudy(ctx, slug)
	if err != nil {
		return err
	}
	page, err := request.PageParam(c)
	if err != nil {
		return err
	}
	replies, err := h.replies.Replies(ctx, slug, page)
	if err != nil {
		return err
	}
	data := map[string]any{
		"Title": v.Title, "CaseStudy": v, "Replies": replies, "Description": v.Summary, "ActivityURL": v.ID,
		"Feeds": feedLinks("/@"+h.cfg.Handle, nil, "Case studies from "+v.Author.Name), "Card": cardOf(v),
		// Images this node serves are shown; any other is a link, as the
		// pages' policy loads images from this node only.
		"OwnMedia": h.cfg.URL("/media/"),
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

// card is what a link to a page shows where it is shared (Open Graph):
// a case study's title, summary, address and first image.
type card struct {
	Title, Description, URL, Image, Alt string
}

// cardOf is the card of a case study of this node: its first image, if
// it has one, is the picture.
func cardOf(v service.CaseStudyView) card {
	c := card{Title: v.Title, Description: v.Summary, URL: v.URL}
	for _, a := range v.Attachments {
		if strings.HasPrefix(a.MediaType, "image/") {
			c.Image, c.Alt = a.URL, a.Name
			break
		}
	}
	return c
}

// replyPageLink is the address of page n of a case study's discussion.
func replyPageLink(c echo.Context, n int) string {
	u := url.URL{Path: c.Request().URL.Path, Fragment: "discussion-heading"}
	if n > 1 {
		u.RawQuery = "page=" + strconv.Itoa(n)
	}
	return u.String()
}
