package admin

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/handlers/request"
)

// missing is a profile setting still at its default or empty: its label
// and its configuration key.
type missing struct {
	Label, Key string
}

// dashboard answers GET /admin: for a signed-in user, the counts and what
// the profile lacks; while no staff account exists, the command that
// creates the first admin and the settings to set next; otherwise the
// sign-in page.
func (h *Handler) dashboard(c echo.Context) error {
	ctx := c.Request().Context()
	if _, ok := request.User(c); !ok {
		users, err := h.users.ListUsers(ctx)
		if err != nil {
			return err
		}
		if len(users) > 0 {
			return seeOther(c, "/sign-in?next="+url.QueryEscape("/admin"))
		}
		return h.render(c, http.StatusOK, "admin_setup.html", map[string]any{
			"Title": "Set up " + h.profile.NodeProfile().Name, "Missing": h.missing(),
		})
	}
	counts, err := h.overview.Dashboard(ctx, h.cfg.Handle)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "admin_dashboard.html", map[string]any{
		"Title": "Admin", "Counts": counts, "Missing": h.missing(), "Nav": "dashboard",
	})
}

// missing lists the profile settings a new node has not set yet, in its
// configuration or on the profile page.
func (h *Handler) missing() []missing {
	def, p := config.Default(), h.profile.NodeProfile()
	var out []missing
	if p.Name == "" || p.Name == def.Name {
		out = append(out, missing{"The organisation's name", "name"})
	}
	if p.Summary == "" || p.Summary == def.Summary {
		out = append(out, missing{"A summary of what it does", "summary"})
	}
	if p.Region == "" {
		out = append(out, missing{"Its region", "region"})
	}
	if p.OrgType == "" || p.OrgType == def.OrgType {
		out = append(out, missing{"Its organisation type", "org_type"})
	}
	return out
}
