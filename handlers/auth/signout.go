package auth

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
)

// signOutForm shows a page with a button that signs out (GET /sign-out),
// or says that no one is signed in.
func (h *Handler) signOutForm(c echo.Context) error {
	data := map[string]any{"Title": "Sign out", "CSRFToken": request.CSRFToken(c), "CSRFField": CSRFField}
	if u, ok := request.User(c); ok {
		data["SignedIn"] = u.Email
	}
	return h.render(c, http.StatusOK, "signout.html", data)
}

// signOut ends the session (POST /sign-out), behind Session's CSRF check:
// it is revoked in the store and its cookie deleted, then the browser is
// sent to the sign-in page.
func (h *Handler) signOut(c echo.Context) error {
	if token := h.cookie(c, sessionCookie); token != "" {
		if err := h.accounts.SignOut(c.Request().Context(), token); err != nil {
			return err
		}
	}
	h.setCookie(c, sessionCookie, "", -1)
	return redirect(c, "/sign-in")
}
