package auth

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service/access"
)

// fieldError is one error of a form: the field's id and the message, for
// the error summary and beside the field.
type fieldError struct {
	Field, Message string
}

// signInForm shows the sign-in form (GET /sign-in), keeping a local next
// path in a hidden field; a signed-in user is told who they are.
func (h *Handler) signInForm(c echo.Context) error {
	return h.renderSignIn(c, http.StatusOK, "", LocalPath(c.QueryParam("next")), nil)
}

// signIn checks the form (POST /sign-in), behind Session's CSRF check: on
// success it starts a session, sets its cookie and sends the browser to
// next (or the home page); otherwise it shows the form again with its
// errors: 422 for an empty field, 401 for a wrong email or password (the
// same whether the email is known or not), 429 with Retry-After when
// throttled.
func (h *Handler) signIn(c echo.Context) error {
	email := strings.TrimSpace(c.FormValue("email"))
	password := c.FormValue("password")
	next := LocalPath(c.FormValue("next"))
	var errs []fieldError
	if email == "" {
		errs = append(errs, fieldError{"email", "Enter your email address"})
	}
	if password == "" {
		errs = append(errs, fieldError{"password", "Enter your password"})
	}
	if len(errs) > 0 {
		return h.renderSignIn(c, http.StatusUnprocessableEntity, email, next, errs)
	}
	token, _, err := h.accounts.SignIn(c.Request().Context(), email, password, c.RealIP())
	var e *apperr.Error
	switch {
	case errors.As(err, &e) && e.Kind == apperr.TooMany:
		c.Response().Header().Set("Retry-After", strconv.Itoa(int((e.RetryAfter+time.Second-1)/time.Second)))
		return h.renderSignIn(c, http.StatusTooManyRequests, email, next, []fieldError{{"email", e.Message}})
	case errors.As(err, &e) && e.Kind == apperr.Unauthorized:
		return h.renderSignIn(c, http.StatusUnauthorized, email, next, []fieldError{{"email", e.Message}})
	case err != nil:
		return err
	}
	if old := h.cookie(c, sessionCookie); old != "" {
		if err := h.accounts.SignOut(c.Request().Context(), old); err != nil {
			return err
		}
	}
	h.setCookie(c, sessionCookie, token, access.SessionLifetime)
	h.setCookie(c, csrfCookie, "", -1)
	if next == "" {
		next = "/"
	}
	return redirect(c, next)
}

// renderSignIn writes the sign-in page with status.
func (h *Handler) renderSignIn(c echo.Context, status int, email, next string, errs []fieldError) error {
	data := map[string]any{
		"Title": "Sign in", "Email": email, "Next": next, "Errors": errs,
		"CSRFToken": request.CSRFToken(c), "CSRFField": CSRFField,
	}
	for _, e := range errs {
		data[e.Field+"Error"] = e.Message
	}
	if u, ok := request.User(c); ok {
		data["SignedIn"] = u.Email
	}
	data["App"] = h.appAsking(c, next)
	return h.render(c, status, "signin.html", data)
}

// appAsking is the name of the app whose authorisation request next is
// (/oauth/authorize?client_id=…), or "".
func (h *Handler) appAsking(c echo.Context, next string) string {
	u, err := url.Parse(next)
	if h.apps == nil || err != nil || u.Path != "/oauth/authorize" {
		return ""
	}
	name, err := h.apps.AppName(c.Request().Context(), u.Query().Get("client_id"))
	if err != nil {
		return ""
	}
	return name
}
