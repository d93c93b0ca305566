package admin

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/profile"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service/media"
)

// ProfileEditor is the organisation's profile as the admin area edits it
// (*adminops.Profile): Save returns a 422 *apperr.Error naming each field
// that is wrong (name, summary, website, region, organisation_type),
// changing nothing.
type ProfileEditor interface {
	Current() profile.Profile
	Check(in profile.Profile) (profile.Profile, error)
	Save(ctx context.Context, in profile.Profile) (profile.Profile, error)
}

// ProfilePage answers the admin area's profile page, for admins.
type ProfilePage struct {
	h      *Handler
	editor ProfileEditor
}

// NewProfile makes the profile page of the admin area h, over editor.
func NewProfile(h *Handler, editor ProfileEditor) *ProfilePage {
	return &ProfilePage{h: h, editor: editor}
}

// Mount registers the page on e behind session (auth's Session) and
// admin (auth.RequireUser(access.RoleAdmin)).
func (p *ProfilePage) Mount(e *echo.Echo, session, admin echo.MiddlewareFunc) {
	e.GET("/admin/profile", p.form, session, admin)
	e.POST("/admin/profile", p.save, session, admin)
}

// profileFields are the form's fields in order, with the API's names:
// the error summary lists errors in it.
var profileFields = []string{"name", "summary", "website", "region", "organisation_type", "icon"}

// profileForm is what the form shows: what was typed, and its errors.
type profileForm struct {
	Name, Summary, Website, Region, OrganisationType string
	IconURL, IconMediaType                           string
	Errors                                           []fieldError
	E                                                map[string]string
}

// form answers GET /admin/profile: the profile as it is now; ?saved
// says it was just saved.
func (p *ProfilePage) form(c echo.Context) error {
	cur := p.editor.Current()
	f := profileForm{Name: cur.Name, Summary: cur.Summary, Website: cur.Website, Region: cur.Region, OrganisationType: cur.OrgType,
		IconURL: cur.IconURL, IconMediaType: cur.IconMediaType}
	return p.render(c, http.StatusOK, f, c.QueryParam("saved") != "")
}

// save answers POST /admin/profile: the profile saved and sent to
// followers, then the page again (303); the form with its errors (422)
// when a field is wrong.
func (p *ProfilePage) save(c echo.Context) error {
	f := profileForm{
		Name: c.FormValue("name"), Summary: c.FormValue("summary"), Website: c.FormValue("website"),
		Region: c.FormValue("region"), OrganisationType: c.FormValue("organisation_type"),
	}
	in := profile.Profile{Name: f.Name, Summary: f.Summary, Website: f.Website, Region: f.Region, OrgType: f.OrganisationType}
	in.IconURL, in.IconMediaType = p.keptIcon(c)
	iconErr, err := p.uploadIcon(c, &in)
	if err != nil {
		return err
	}
	f.IconURL, f.IconMediaType = in.IconURL, in.IconMediaType
	if iconErr == "" {
		if _, err = p.editor.Save(acting(c), in); err == nil {
			return seeOther(c, "/admin/profile?saved=1")
		}
	}
	fields := map[string]string{}
	var e *apperr.Error
	if err != nil && (!errors.As(err, &e) || len(e.Fields) == 0) {
		return err
	}
	if e != nil {
		fields = e.Fields
	} else if _, err := p.editor.Check(in); errors.As(err, &e) {
		fields = e.Fields
	}
	if iconErr != "" {
		fields["icon"] = iconErr
	}
	f.E = fields
	for _, name := range profileFields {
		if msg, ok := fields[name]; ok {
			f.Errors = append(f.Errors, fieldError{Field: name, Message: msg})
		}
	}
	return p.render(c, http.StatusUnprocessableEntity, f, false)
}

// render writes the page with the form.
func (p *ProfilePage) render(c echo.Context, status int, f profileForm, saved bool) error {
	if f.E == nil {
		f.E = map[string]string{}
	}
	return p.h.render(c, status, "admin_profile.html", map[string]any{
		"Title": "Profile", "Nav": "profile", "Form": f, "Errors": f.Errors, "Saved": saved,
		"Regions": p.h.cfg.Regions, "OrgTypes": config.OrgTypes, "SummaryMax": profile.MaxSummary, "NameMax": profile.MaxName,
		"IconMax": media.Size(int64(p.h.cfg.MediaMaxImageBytes)),
	})
}
