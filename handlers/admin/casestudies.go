package admin

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
)

// listCaseStudies answers GET /admin/case-studies: the node's case
// studies in every state, newest first, those whose title holds ?q,
// 50 at a time from ?offset; ?deleted names one just deleted.
func (h *Handler) listCaseStudies(c echo.Context) error {
	q := c.QueryParam("q")
	if err := request.CheckFilterLength("the search", q); err != nil {
		return err
	}
	offset, _ := strconv.Atoi(c.QueryParam("offset"))
	rows, err := h.overview.CaseStudyRows(c.Request().Context(), q, offset)
	if err != nil {
		return err
	}
	data := map[string]any{"Title": "Case studies", "Rows": rows, "Query": q, "Nav": "case-studies", "Deleted": c.QueryParam("deleted")}
	link := func(offset int) string {
		v := url.Values{}
		if q != "" {
			v.Set("q", q)
		}
		if offset > 0 {
			v.Set("offset", strconv.Itoa(offset))
		}
		return (&url.URL{Path: "/admin/case-studies", RawQuery: v.Encode()}).String()
	}
	if rows.Offset > 0 {
		data["Prev"] = link(max(rows.Offset-rows.Limit, 0))
	}
	if int64(rows.Offset+len(rows.Items)) < rows.Total {
		data["Next"] = link(rows.Offset + rows.Limit)
	}
	return h.render(c, http.StatusOK, "admin_casestudies.html", data)
}

// deleteForm answers GET /admin/case-studies/{slug}/delete: the page that
// asks to confirm.
func (h *Handler) deleteForm(c echo.Context) error {
	v, err := h.cases.EditableCaseStudy(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "admin_delete.html", map[string]any{
		"Title": "Delete " + v.Title, "CaseStudy": v, "Nav": "case-studies",
	})
}

// delete answers POST /admin/case-studies/{slug}/delete: it deletes the
// case study (followers are told, unless it was a draft) and goes back
// to the list.
func (h *Handler) delete(c echo.Context) error {
	slug := c.Param("slug")
	if err := h.cases.DeleteCaseStudy(acting(c), slug); err != nil {
		return err
	}
	return seeOther(c, "/admin/case-studies?deleted="+url.QueryEscape(slug))
}
