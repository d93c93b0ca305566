package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/service"
)

// listCaseStudies answers GET /api/v1/case-studies: this node's case
// studies, newest first, paged with limit and offset, filtered by region,
// service_area, organisation_type, stage, tag and q.
func (h *Handler) listCaseStudies(c echo.Context) error {
	q, err := request.CaseStudyFilter(c)
	if err != nil {
		return err
	}
	q.LocalOnly = true
	list, err := h.cases.ListCaseStudies(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// getCaseStudy answers GET /api/v1/case-studies/{slug}.
func (h *Handler) getCaseStudy(c echo.Context) error {
	v, err := h.cases.CaseStudy(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// createCaseStudy answers POST /api/v1/case-studies: 201 with the case
// study and its Location.
func (h *Handler) createCaseStudy(c echo.Context) error {
	var in service.CaseStudyInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := h.cases.PublishCaseStudy(c.Request().Context(), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, v.ID)
	return c.JSON(http.StatusCreated, v)
}

// updateCaseStudy answers PUT /api/v1/case-studies/{slug}.
func (h *Handler) updateCaseStudy(c echo.Context) error {
	var in service.CaseStudyInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := h.cases.UpdateCaseStudy(c.Request().Context(), c.Param("slug"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// deleteCaseStudy answers DELETE /api/v1/case-studies/{slug} with 204.
func (h *Handler) deleteCaseStudy(c echo.Context) error {
	if err := h.cases.DeleteCaseStudy(c.Request().Context(), c.Param("slug")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
