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
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/profile"
	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/web"
)

// CaseStudies are the changes the admin area makes to case studies and
// the reading of one to edit (*service.CaseStudies): a not found error
// for an unknown slug, Gone for a deleted one, Unprocessable naming bad
// fields (as the JSON API's 422); ValidateCaseStudy checks without
// storing, so that a form whose upload was refused names its other
// errors too.
type CaseStudies interface {
	PublishCaseStudy(ctx context.Context, in service.CaseStudyInput) (service.CaseStudyView, error)
	UpdateCaseStudy(ctx context.Context, slug string, in service.CaseStudyInput) (service.CaseStudyView, error)
	DeleteCaseStudy(ctx context.Context, slug string) error
	EditableCaseStudy(ctx context.Context, slug string) (service.CaseStudyView, error)
	ValidateCaseStudy(in service.CaseStudyInput) error
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

// Profile gives the IRI of an actor, for the pages' footer, and the
// organisation's profile as it is now, for their name.
type Profile interface {
	ActorIRI(handle string) string
	NodeProfile() profile.Profile
}

// Operations are the admin area's services beyond the case studies
// (service/adminops): follows, the discussion's moderation, deliveries,
// users and tokens.
type Operations struct {
	Follows    Follows
	Discussion Discussion
	Deliveries Deliveries
	Staff      Staff
	// Profile is the organisation's profile (*adminops.Profile).
	Profile ProfileEditor
}

// Handler answers the admin area's routes; its route groups (follows,
// discussion, deliveries, users) answer theirs through it.
type Handler struct {
	cfg      config.Config
	cases    CaseStudies
	overview Overview
	users    Users
	profile  Profile
	ops      Operations
	pages    *web.Pages
	// uploads is set by WithUploads.
	uploads Uploads
}

// New builds the admin area over its services, with the node's
// configuration cfg and the node's page templates.
func New(cfg config.Config, pages *web.Pages, cases CaseStudies, overview Overview, users Users, profile Profile, ops Operations) *Handler {
	return &Handler{cfg: cfg, cases: cases, overview: overview, users: users, profile: profile, ops: ops, pages: pages}
}

// Mount registers the admin area's routes on e behind session (auth's
// Session: the user and the CSRF check) and, but for /admin itself,
// which answers the first run too, require (auth.RequireUser()); the
// routes for admins only (follows, deliveries, users) behind admin
// (auth.RequireUser(access.RoleAdmin)) instead.
func (h *Handler) Mount(e *echo.Echo, session, require, admin echo.MiddlewareFunc) {
	followPages{h}.mount(e, session, admin)
	discussionPages{h}.mount(e, session, require)
	deliveryPages{h}.mount(e, session, admin)
	userPages{h}.mount(e, session, admin)
	NewProfile(h, h.ops.Profile).Mount(e, session, admin)
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
	data["Node"] = h.profile.NodeProfile().Name
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

// confirm writes the page that asks to confirm a destructive action:
// title (a question), what it does (text), the form's action and its
// button, and where "No, go back" goes.
func (h *Handler) confirm(c echo.Context, nav, title, text, action, button, back string) error {
	return h.render(c, http.StatusOK, "admin_confirm.html", map[string]any{
		"Title": title, "Text": text, "Action": action, "Button": button, "Back": back, "Nav": nav,
	})
}

// idParam reads the route's :id, a positive number: a not found error
// for anything else.
func idParam(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Errorf(apperr.NotFound, "there is nothing at %s", c.Request().URL.Path)
	}
	return id, nil
}

// formError is err as the error of a form's one field (the page shows
// it, and what was typed, again) when it is an *apperr.Error a person
// can act on; ok is false for any other error.
func formError(err error, field string) (fieldError, int, bool) {
	var e *apperr.Error
	if !errors.As(err, &e) || e.Kind.Status() >= 500 && e.Kind != apperr.BadGateway && e.Kind != apperr.GatewayTimeout {
		return fieldError{}, 0, false
	}
	msg := e.Message
	if m, ok := e.Fields[field]; ok {
		msg = m
	}
	return fieldError{Field: field, Message: web.Sentence(msg)}, e.Kind.Status(), true
}

// seeOther sends the browser to a local path with 303 See Other.
func seeOther(c echo.Context, path string) error {
	return c.Redirect(http.StatusSeeOther, path)
}
