package oauth

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/service/access"
)

// authorizeRequest reads what an app asks for, from the query of
// GET /oauth/authorize or the fields of the consent form.
func authorizeRequest(get func(string) string) access.AuthorizeRequest {
	return access.AuthorizeRequest{
		ClientID: get("client_id"), RedirectURI: get("redirect_uri"), ResponseType: get("response_type"),
		Scope: get("scope"), State: get("state"),
		CodeChallenge: get("code_challenge"), CodeChallengeMethod: get("code_challenge_method"),
	}
}

// authorizeForm answers GET /oauth/authorize: a request that is not
// valid gets the RFC 6749 error JSON (400, or 401 for an unknown client),
// never a redirect; a browser that is not signed in goes to the sign-in
// page, which names the app, and comes back here; a signed-in user sees
// the consent page.
func (h *Handler) authorizeForm(c echo.Context) error {
	consent, err := h.oauth.CheckAuthorize(c.Request().Context(), authorizeRequest(c.QueryParam))
	if err != nil {
		return protocolError(c, err)
	}
	u, ok := request.User(c)
	if !ok {
		return c.Redirect(http.StatusSeeOther, "/sign-in?next="+url.QueryEscape(c.Request().URL.RequestURI()))
	}
	return h.render(c, http.StatusOK, "authorize.html", map[string]any{
		"Title": "Authorise " + consent.App.Name, "App": consent.App.Name, "Website": consent.App.Website,
		"Email": u.Email, "Scopes": scopeLabels(consent.Scopes), "OOB": consent.RedirectURI == access.OOB,
		"RedirectURI": consent.RedirectURI, "Request": c.QueryParams(), "Fields": authorizeFields,
		"CSRFToken": request.CSRFToken(c), "CSRFField": "csrf_token",
	})
}

// authorizeFields are the fields of the request the consent form sends
// back.
var authorizeFields = []string{"client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge", "code_challenge_method"}

// authorize takes the user's decision (POST /oauth/authorize, the consent
// form, behind the session's CSRF check): Authorise grants a code, Deny
// refuses; either goes back to the app's redirect URI with the state, or,
// out of band, shows the code to copy (or that the app was denied).
func (h *Handler) authorize(c echo.Context) error {
	consent, err := h.oauth.CheckAuthorize(c.Request().Context(), authorizeRequest(c.FormValue))
	if err != nil {
		return protocolError(c, err)
	}
	u, _ := request.User(c)
	denied := c.FormValue("decision") != "authorise"
	code := ""
	if !denied {
		if code, err = h.oauth.Grant(c.Request().Context(), consent, u.ID); err != nil {
			return err
		}
	}
	if target := consent.Redirect(code, denied); target != "" {
		return c.Redirect(http.StatusSeeOther, target)
	}
	title := "Copy this code into " + consent.App.Name
	if denied {
		title = "You denied " + consent.App.Name
	}
	return h.render(c, http.StatusOK, "authorized.html", map[string]any{
		"Title": title, "App": consent.App.Name, "Code": code, "Denied": denied,
	})
}

// scopeLabel is a scope and what it lets an app do, for the consent page.
type scopeLabel struct {
	Name, Label string
}

// scopeLabels says what each scope lets an app do.
func scopeLabels(s access.Scopes) []scopeLabel {
	top := map[string]string{
		"read":    "See everything in this account: case studies, notes, follows, notifications",
		"write":   "Change everything in this account: publish, reply, follow and unfollow",
		"follow":  "Follow and unfollow accounts, and see follows",
		"push":    "Receive push notifications",
		"profile": "See this account's profile only",
	}
	out := make([]scopeLabel, 0, len(s))
	for _, name := range s {
		label, ok := top[name]
		if !ok {
			verb, what, _ := strings.Cut(name, ":")
			label = "See " + what
			if verb == "write" {
				label = "Change " + what
			}
		}
		out = append(out, scopeLabel{Name: name, Label: label})
	}
	return out
}
