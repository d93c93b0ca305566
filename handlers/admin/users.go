package admin

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/service/adminops"
	"github.com/pollen-coop/pollen/web"
)

// Staff are the users, the admin tokens and the apps authorised by OAuth
// (*adminops.Users): a 422 *apperr.Error naming the fields that are
// wrong (as `pollen users create` refuses them), 409 for an email taken,
// a not found error for an unknown user, token or app.
type Staff interface {
	List(ctx context.Context) (adminops.Access, error)
	User(ctx context.Context, id int64) (access.User, error)
	Create(ctx context.Context, email string, role access.Role, password string) (access.User, error)
	Disable(ctx context.Context, id int64) error
	ResetPassword(ctx context.Context, id int64, password string) error
	RevokeToken(ctx context.Context, name string) error
	RevokeApp(ctx context.Context, id int64) error
}

// userPages answer /admin/users, for admins: the users (create, disable,
// reset a password), the admin tokens and the apps (revoke).
type userPages struct{ h *Handler }

func (p userPages) mount(e *echo.Echo, mw ...echo.MiddlewareFunc) {
	e.GET("/admin/users", p.list, mw...)
	e.POST("/admin/users", p.create, mw...)
	e.GET("/admin/users/:id/disable", p.disableForm, mw...)
	e.POST("/admin/users/:id/disable", p.disable, mw...)
	e.GET("/admin/users/:id/password", p.passwordForm, mw...)
	e.POST("/admin/users/:id/password", p.password, mw...)
	e.GET("/admin/users/tokens/:name/revoke", p.revokeTokenForm, mw...)
	e.POST("/admin/users/tokens/:name/revoke", p.revokeToken, mw...)
	e.GET("/admin/users/apps/:id/revoke", p.revokeAppForm, mw...)
	e.POST("/admin/users/apps/:id/revoke", p.revokeApp, mw...)
}

// newUser is the form that creates a user, as typed (never the password).
type newUser struct {
	Email, Role string
}

// list answers GET /admin/users: the users, tokens and apps, and the form
// that creates a user; ?done says what was just done.
func (p userPages) list(c echo.Context) error {
	return p.render(c, http.StatusOK, newUser{Role: string(access.RoleEditor)}, nil)
}

func (p userPages) render(c echo.Context, status int, form newUser, errs []fieldError) error {
	a, err := p.h.ops.Staff.List(c.Request().Context())
	if err != nil {
		return err
	}
	e := map[string]string{}
	for _, fe := range errs {
		e[fe.Field] = fe.Message
	}
	return p.h.render(c, status, "admin_users.html", map[string]any{
		"Title": "Users and tokens", "Access": a, "Form": form, "Errors": errs, "E": e, "Nav": "users", "Done": c.QueryParam("done"),
		"Roles": []access.Role{access.RoleEditor, access.RoleAdmin},
	})
}

// create answers POST /admin/users (email, role, password): the user is
// made, or the form shows what is wrong with what was typed.
func (p userPages) create(c echo.Context) error {
	form := newUser{Email: strings.TrimSpace(c.FormValue("email")), Role: c.FormValue("role")}
	u, err := p.h.ops.Staff.Create(acting(c), form.Email, access.Role(form.Role), c.FormValue("password"))
	if err != nil {
		errs, status, ok := fieldsOf(err, "email", "role", "password")
		if !ok {
			return err
		}
		return p.render(c, status, form, errs)
	}
	return seeOther(c, "/admin/users?done="+url.QueryEscape("Created the "+string(u.Role)+" "+u.Email+". Tell them their password in person or by phone, not by email."))
}

// fieldsOf is err's fields in the order given (their messages are
// sentences), when err is a 400, 422 or 409 *apperr.Error; an error
// naming none of them points at the first.
func fieldsOf(err error, order ...string) ([]fieldError, int, bool) {
	var e *apperr.Error
	if !errors.As(err, &e) || (e.Kind != apperr.Unprocessable && e.Kind != apperr.Invalid && e.Kind != apperr.Conflict) {
		return nil, 0, false
	}
	var out []fieldError
	for _, f := range order {
		if msg, ok := e.Fields[f]; ok {
			out = append(out, fieldError{Field: f, Message: web.Sentence(msg)})
		}
	}
	if len(out) == 0 {
		out = append(out, fieldError{Field: order[0], Message: web.Sentence(e.Message)})
	}
	return out, e.Kind.Status(), true
}
