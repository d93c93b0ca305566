package admin

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service/adminops"
)

// Deliveries are the delivery queue by host (*adminops.Deliveries):
// Retry returns a not found error when there was no dead job to revive.
type Deliveries interface {
	Hosts(ctx context.Context) ([]adminops.HostCounts, error)
	Dead(ctx context.Context, host string) ([]adminops.DeadJob, error)
	Retry(ctx context.Context, host string, id int64) (int64, error)
}

// deliveryPages answer /admin/deliveries, for admins: what waits, fails
// and was given up, by host, and retrying what was given up.
type deliveryPages struct{ h *Handler }

func (p deliveryPages) mount(e *echo.Echo, mw ...echo.MiddlewareFunc) {
	e.GET("/admin/deliveries", p.list, mw...)
	e.POST("/admin/deliveries", p.retry, mw...)
}

// list answers GET /admin/deliveries: the counts by host and, for
// ?host, the jobs to it that were given up; ?done says what was just
// done.
func (p deliveryPages) list(c echo.Context) error {
	ctx := c.Request().Context()
	hosts, err := p.h.ops.Deliveries.Hosts(ctx)
	if err != nil {
		return err
	}
	data := map[string]any{"Title": "Deliveries", "Hosts": hosts, "Nav": "deliveries", "Done": c.QueryParam("done")}
	if host := c.QueryParam("host"); host != "" {
		if len(host) > 255 {
			return apperr.Errorf(apperr.Invalid, "host is longer than 255 characters")
		}
		dead, err := p.h.ops.Deliveries.Dead(ctx, host)
		if err != nil {
			return err
		}
		data["Host"], data["Dead"] = host, dead
	}
	return p.h.render(c, http.StatusOK, "admin_deliveries.html", data)
}

// retry answers POST /admin/deliveries (host, and id: one job, or
// none for every dead job to host): the jobs are due again at once.
func (p deliveryPages) retry(c echo.Context) error {
	host := strings.TrimSpace(c.FormValue("host"))
	if host == "" || len(host) > 255 {
		return apperr.InvalidFields(map[string]string{"host": "is required: the host whose deliveries to retry"})
	}
	var id int64
	if s := c.FormValue("id"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return apperr.InvalidFields(map[string]string{"id": "must be the number of a delivery"})
		}
		id = n
	}
	n, err := p.h.ops.Deliveries.Retry(acting(c), host, id)
	if err != nil {
		return err
	}
	done := "Retrying " + strconv.FormatInt(n, 10) + " deliveries to " + host + "."
	if n == 1 {
		done = "Retrying 1 delivery to " + host + "."
	}
	return seeOther(c, "/admin/deliveries?done="+url.QueryEscape(done))
}
