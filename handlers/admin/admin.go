// Package admin is the admin area under /admin, for the signed-in staff
// (editors and admins alike): the dashboard (or, before the first
// account exists, how to create it), the case studies with their form,
// drafts, preview and delete, the audit log, and for admins the
// federation policy (federation.go). Every page is a GOV.UK
// form without script; every form carries the CSRF token that auth's
// Session middleware checks.
package admin

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/web"
)

// CaseStudies are the changes the admin area makes to case studies and
// the reading of one to edit (*service.CaseStudies): a not found error
// for an unknown slug, Gone for a deleted one, Unprocessable naming bad
// fields (as the JSON API's 422).
type CaseStudies interface {
	PublishCaseStudy(ctx context.Context, in service.CaseStudyInput) (service.CaseStudyView, error)
	UpdateCaseStudy(ctx context.Context, slug string, in service.CaseStudyInput) (service.CaseStudyView, error)
	DeleteCaseStudy(ctx context.Context, slug string) error
	EditableCaseStudy(ctx context.Context, slug string) (service.CaseStudyView, error)
}

// Overview is what the admin area lists (*service.Admin): the
// dashboard's counts, the case studies in every state, the audit log.
type Overview interface {
	Dashboard(ctx context.Context, handle string) (service.DashboardCounts, error)
	CaseStudyRows(ctx context.Context, title string, offset int) (service.CaseStudyRows, error)
	AuditLog(ctx context.Context, n int) (service.AuditPage, error)
}

// Users tells whether any staff account exists (*access.Accounts).
type Users interface {
	ListUsers(ctx context.Context) ([]access.User, error)
}

// Profile gives the IRI of an actor, for the pages' footer.
type Profile interface {
	ActorIRI(handle string) string
}

// Handler answers the admin area's routes.
type Handler struct {
	cfg      config.Config
	cases    CaseStudies
	overview Overview
	users    Users
	profile  Profile
	pages    *web.Pages
}

// New builds the admin area over its services, with the node's
// configuration cfg. It returns an error when the templates do not parse.
func New(cfg config.Config, cases CaseStudies, overview Overview, users Users, profile Profile) (*Handler, error) {
	pages, err := web.NewPages()
	if err != nil {
		return nil, err
	}
	return &Handler{cfg: cfg, cases: cases, overview: overview, users: users, profile: profile, pages: pages}, nil
}

// Mount registers the admin area's routes on e behind session (auth's
// Session: the user and the CSRF check) and, but for /admin itself,
// which answers the first run too, require (auth.RequireUser()).
func (h *Handler) Mount(e *echo.Echo, session, require echo.MiddlewareFunc) {
	e.GET("/admin", h.dashboard, session)
	e.GET("/admin/case-studies", h.listCaseStudies, session, require)
	e.GET("/admin/case-studies/new", h.newForm, session, require)
	e.POST("/admin/case-studies/new", h.create, session, require)
	e.GET("/admin/case-studies/:slug/edit", h.editForm, session, require)
	e.POST("/admin/case-studies/:slug/edit", h.edit, session, require)
	e.GET("/admin/case-studies/:slug/delete", h.deleteForm, session, require)
	e.POST("/admin/case-studies/:slug/delete", h.delete, session, require)
	e.GET("/admin/audit", h.audit, session, require)
}

// render writes an admin page that is not to be cached, with the fields
// every page shows, the signed-in user and the request's CSRF token.
func (h *Handler) render(c echo.Context, status int, name string, data map[string]any) error {
	data["Node"] = h.cfg.Name
	data["ActorIRI"] = h.profile.ActorIRI(h.cfg.Handle)
	data["CSRFToken"] = request.CSRFToken(c)
	data["CSRFField"] = "csrf_token"
	if u, ok := request.User(c); ok {
		data["User"] = u
	}
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	hd.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(status)
	return h.pages.Render(c.Response(), name, data)
}

// acting is the request's context naming its signed-in user for the
// audit log.
func acting(c echo.Context) context.Context {
	ctx := c.Request().Context()
	if u, ok := request.User(c); ok {
		return service.Acting(ctx, service.Actor{UserID: u.ID, Name: u.Email})
	}
	return ctx
}

// seeOther sends the browser to a local path with 303 See Other.
func seeOther(c echo.Context, path string) error {
	return c.Redirect(http.StatusSeeOther, path)
}
