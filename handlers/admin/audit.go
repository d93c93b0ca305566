package admin

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
)

// audit answers GET /admin/audit: the audit log, newest first, a page at
// a time (?page=N).
func (h *Handler) audit(c echo.Context) error {
	n, err := request.PageParam(c)
	if err != nil {
		return err
	}
	p, err := h.overview.AuditLog(c.Request().Context(), n)
	if err != nil {
		return err
	}
	data := map[string]any{"Title": "Audit log", "Log": p, "Nav": "audit"}
	if p.Page > 1 {
		data["Title"] = "Audit log (page " + strconv.Itoa(p.Page) + " of " + strconv.Itoa(p.Pages) + ")"
		data["Prev"] = "/admin/audit?page=" + strconv.Itoa(p.Page-1)
	}
	if p.Page < p.Pages {
		data["Next"] = "/admin/audit?page=" + strconv.Itoa(p.Page+1)
	}
	return h.render(c, http.StatusOK, "admin_audit.html", data)
}
