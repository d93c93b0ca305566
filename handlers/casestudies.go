package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/internal/apperr"
)

// listCaseStudies answers GET /api/v1/case-studies: this node's case
// studies, newest first, paged with limit and offset, filtered by region,
// service_area, organisation_type, stage, tag and q.
func (h *Handler) listCaseStudies(c echo.Context) error {
	q, err := caseStudyFilter(c)
	if err != nil {
		return err
	}
	q.LocalOnly = true
	list, err := h.svc.ListCaseStudies(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// maxFilterLength is the longest search or filter text a list accepts, in
// characters: a longer search would hold a database reader for seconds.
const maxFilterLength = 200

// caseStudyFilter reads a list's filters and paging. It returns a 400 *apperr.Error
// for a filter longer than maxFilterLength or a bad limit or offset.
func caseStudyFilter(c echo.Context) (federation.CaseStudyFilter, error) {
	q := federation.CaseStudyFilter{
		Region: c.QueryParam("region"), ServiceArea: c.QueryParam("service_area"),
		OrganisationType: c.QueryParam("organisation_type"), Stage: c.QueryParam("stage"),
		Tag: c.QueryParam("tag"), Text: c.QueryParam("q"),
	}
	for _, name := range []string{"q", "tag", "region", "service_area", "organisation_type", "stage"} {
		if err := checkFilterLength(name, c.QueryParam(name)); err != nil {
			return q, err
		}
	}
	for name, dst := range map[string]*int{"limit": &q.Limit, "offset": &q.Offset} {
		v := c.QueryParam(name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || (name == "limit" && (n < 1 || n > 100)) {
			return q, apperr.Errorf(apperr.Invalid, "%s must be a whole number (limit 1 to 100)", name)
		}
		*dst = n
	}
	return q, nil
}

// checkFilterLength refuses, with a 400 *apperr.Error, a filter value longer than
// maxFilterLength characters.
func checkFilterLength(name, value string) error {
	if len(value) > maxFilterLength && utf8.RuneCountInString(value) > maxFilterLength {
		return apperr.Errorf(apperr.Invalid, "%s is longer than %d characters", name, maxFilterLength)
	}
	return nil
}

// getCaseStudy answers GET /api/v1/case-studies/{slug}.
func (h *Handler) getCaseStudy(c echo.Context) error {
	v, err := h.svc.CaseStudy(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// createCaseStudy answers POST /api/v1/case-studies: 201 with the case
// study and its Location.
func (h *Handler) createCaseStudy(c echo.Context) error {
	var in federation.CaseStudyInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := h.svc.PublishCaseStudy(c.Request().Context(), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, v.ID)
	return c.JSON(http.StatusCreated, v)
}

// updateCaseStudy answers PUT /api/v1/case-studies/{slug}.
func (h *Handler) updateCaseStudy(c echo.Context) error {
	var in federation.CaseStudyInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := h.svc.UpdateCaseStudy(c.Request().Context(), c.Param("slug"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// deleteCaseStudy answers DELETE /api/v1/case-studies/{slug} with 204.
func (h *Handler) deleteCaseStudy(c echo.Context) error {
	if err := h.svc.DeleteCaseStudy(c.Request().Context(), c.Param("slug")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// decodeJSON reads a JSON body strictly: one object, known fields only.
func decodeJSON(c echo.Context, dst any) error {
	r := c.Request()
	if ct := r.Header.Get(echo.HeaderContentType); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != echo.MIMEApplicationJSON {
			return apperr.Errorf(apperr.Unsupported, "the body must be application/json")
		}
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	if err := checkJSONText(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return apperr.Errorf(apperr.Invalid, "the body is not valid JSON for this request: %s", jsonReason(err))
	}
	if dec.More() {
		return apperr.Errorf(apperr.Invalid, "the body must hold one JSON object")
	}
	return nil
}

// readBody reads the whole request body, within the body limit: over it,
// the limit's 413 *echo.HTTPError; a body that cannot be read, a 400 *apperr.Error.
func readBody(c echo.Context) ([]byte, error) {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return nil, he
		}
		return nil, apperr.Errorf(apperr.Invalid, "the body could not be read")
	}
	return body, nil
}

func jsonReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "syntax error at byte " + strconv.FormatInt(se.Offset, 10)
	case errors.As(err, &te):
		return "field " + te.Field + " must be " + te.Type.String()
	case errors.Is(err, io.EOF):
		return "it is empty"
	}
	return err.Error()
}
