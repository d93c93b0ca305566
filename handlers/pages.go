package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/models"
)

// home serves the organisation's page: its profile and case studies.
func (h *Handler) home(c echo.Context) error {
	ctx := c.Request().Context()
	if handle := c.Param("handle"); handle != "" && handle != h.svc.Config().Handle {
		return federation.Errorf(http.StatusNotFound, "no organisation %q here", handle)
	}
	actor, err := h.svc.LocalActor(ctx)
	if err != nil {
		return err
	}
	q, err := caseStudyQuery(c)
	if err != nil {
		return err
	}
	q.LocalOnly = true
	list, err := h.svc.ListCaseStudies(ctx, q)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "home.html", map[string]any{
		"Title": actor.Name, "Actor": actor, "List": list, "Handle": actor.Handle + "@" + actor.Host,
		"ActivityURL": actor.IRI,
	})
}

// tag serves the case studies with a hashtag.
func (h *Handler) tag(c echo.Context) error {
	ctx := c.Request().Context()
	actor, err := h.svc.LocalActor(ctx)
	if err != nil {
		return err
	}
	tag := c.Param("tag")
	list, err := h.svc.ListCaseStudies(ctx, models.CaseStudyQuery{LocalOnly: true, Tag: tag, Limit: 50})
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "home.html", map[string]any{
		"Title": "#" + tag, "Actor": actor, "List": list, "Tag": tag, "Handle": actor.Handle + "@" + actor.Host,
	})
}

// render writes an HTML page.
func (h *Handler) render(c echo.Context, status int, name string, data map[string]any) error {
	data["Node"] = h.svc.Config().Name
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return h.pages.Render(c.Response(), name, data)
}
