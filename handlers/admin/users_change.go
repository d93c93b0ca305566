package admin

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

// disableForm answers GET /admin/users/{id}/disable: the page that asks
// to confirm.
func (p userPages) disableForm(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u, err := p.h.ops.Staff.User(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return p.h.confirm(c, "users", "Disable "+u.Email+"?",
		"They are signed out at once, the apps they authorised lose their access, and they cannot sign in again. What they published stays.",
		c.Request().URL.Path, "Yes, disable the account", "/admin/users")
}

// disable answers POST /admin/users/{id}/disable.
func (p userPages) disable(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u, err := p.h.ops.Staff.User(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if err := p.h.ops.Staff.Disable(acting(c), id); err != nil {
		return err
	}
	return seeOther(c, "/admin/users?done="+url.QueryEscape("Disabled "+u.Email+"."))
}

// passwordForm answers GET /admin/users/{id}/password: the form that
// sets a new password.
func (p userPages) passwordForm(c echo.Context) error {
	return p.renderPassword(c, http.StatusOK, nil)
}

func (p userPages) renderPassword(c echo.Context, status int, errs []fieldError) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u, err := p.h.ops.Staff.User(c.Request().Context(), id)
	if err != nil {
		return err
	}
	data := map[string]any{"Title": "Reset the password of " + u.Email, "Account": u, "Errors": errs, "Nav": "users"}
	if len(errs) > 0 {
		data["PasswordError"] = errs[0].Message
	}
	return p.h.render(c, status, "admin_password.html", data)
}

// password answers POST /admin/users/{id}/password (password): the
// password is replaced, or the form says why it cannot be.
func (p userPages) password(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u, err := p.h.ops.Staff.User(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if err := p.h.ops.Staff.ResetPassword(acting(c), id, c.FormValue("password")); err != nil {
		errs, status, ok := fieldsOf(err, "password")
		if !ok {
			return err
		}
		return p.renderPassword(c, status, errs)
	}
	return seeOther(c, "/admin/users?done="+url.QueryEscape("Set a new password for "+u.Email+"."))
}

// revokeTokenForm answers GET /admin/users/tokens/{name}/revoke: the page
// that asks to confirm.
func (p userPages) revokeTokenForm(c echo.Context) error {
	name := c.Param("name")
	return p.h.confirm(c, "users", "Revoke the admin token “"+name+"”?",
		"Whatever uses it (a script, a deployment) can no longer use the API. This cannot be undone: make a new token with pollen token create.",
		c.Request().URL.Path, "Yes, revoke it", "/admin/users")
}

// revokeToken answers POST /admin/users/tokens/{name}/revoke.
func (p userPages) revokeToken(c echo.Context) error {
	name := c.Param("name")
	if err := p.h.ops.Staff.RevokeToken(acting(c), name); err != nil {
		return err
	}
	return seeOther(c, "/admin/users?done="+url.QueryEscape("Revoked the admin token "+name+"."))
}

// revokeAppForm answers GET /admin/users/apps/{id}/revoke: the page that
// asks to confirm.
func (p userPages) revokeAppForm(c echo.Context) error {
	if _, err := idParam(c); err != nil {
		return err
	}
	return p.h.confirm(c, "users", "Revoke this app’s access?",
		"The app is signed out of this node at once. Its user can authorise it again.",
		c.Request().URL.Path, "Yes, revoke its access", "/admin/users")
}

// revokeApp answers POST /admin/users/apps/{id}/revoke.
func (p userPages) revokeApp(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := p.h.ops.Staff.RevokeApp(acting(c), id); err != nil {
		return err
	}
	return seeOther(c, "/admin/users?done="+url.QueryEscape("Revoked the app’s access."))
}
