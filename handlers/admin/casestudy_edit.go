package admin

import (
	"errors"
	"maps"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/service/media"
)

// formPage is what the case study form's template shows.
type formPage struct {
	Action string
	Form   caseForm
	// Existing is the case study edited (nil for a new one).
	Existing *service.CaseStudyView
	Errors   []fieldError
	E        map[string]string
	Preview  string
	Saved    bool
}

// newForm answers GET /admin/case-studies/new: the empty form.
func (h *Handler) newForm(c echo.Context) error {
	return h.renderForm(c, http.StatusOK, formPage{Action: "/admin/case-studies/new", Form: caseForm{}.withEmptyRows()})
}

// editForm answers GET /admin/case-studies/{slug}/edit: the form filled
// with the case study; ?saved=1 after saving says so.
func (h *Handler) editForm(c echo.Context) error {
	v, err := h.cases.EditableCaseStudy(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	p := formPage{Action: c.Request().URL.Path, Form: formOf(v, h.cfg.Regions), Existing: &v, Saved: c.QueryParam("saved") == "1"}
	return h.renderForm(c, http.StatusOK, p)
}

// create answers POST /admin/case-studies/new: preview, save as a draft
// or publish, by the button pressed (action).
func (h *Handler) create(c echo.Context) error {
	p := formPage{Action: "/admin/case-studies/new", Form: readForm(c)}
	return h.submit(c, p, func(in service.CaseStudyInput) (service.CaseStudyView, error) {
		return h.cases.PublishCaseStudy(acting(c), in)
	})
}

// edit answers POST /admin/case-studies/{slug}/edit, as create does.
func (h *Handler) edit(c echo.Context) error {
	slug := c.Param("slug")
	v, err := h.cases.EditableCaseStudy(c.Request().Context(), slug)
	if err != nil {
		return err
	}
	p := formPage{Action: c.Request().URL.Path, Form: readForm(c), Existing: &v}
	return h.submit(c, p, func(in service.CaseStudyInput) (service.CaseStudyView, error) {
		return h.cases.UpdateCaseStudy(acting(c), slug, in)
	})
}

// submit does what the button pressed asks: "preview" shows the body
// rendered below the form, "draft" and "publish" save through save and
// go to the saved case study's form; a 422 shows the form again with its
// errors and what was typed.
func (h *Handler) submit(c echo.Context, p formPage, save func(service.CaseStudyInput) (service.CaseStudyView, error)) error {
	action := c.FormValue("action")
	if refused, err := h.uploaded(c, &p, action); refused || err != nil {
		return err
	}
	if action == "preview" {
		html, err := service.Preview(p.Form.Body)
		if err != nil {
			return h.invalid(c, p, err)
		}
		p.Preview = html
		return h.renderForm(c, http.StatusOK, p)
	}
	if action != "draft" && action != "publish" {
		return apperr.Errorf(apperr.Invalid, "the form was sent without one of its buttons: choose Save as draft, Publish or Preview")
	}
	v, err := save(p.Form.input(action == "draft"))
	if err != nil {
		return h.invalid(c, p, err)
	}
	return seeOther(c, "/admin/case-studies/"+url.PathEscape(v.Slug)+"/edit?saved=1")
}

// uploaded keeps the file sent with the form, if any (upload); a
// refused one shows the form again with its errors, and, when the form
// was to be saved, the other fields' errors too, and reports that it
// answered.
func (h *Handler) uploaded(c echo.Context, p *formPage, action string) (bool, error) {
	bad, err := h.upload(c, &p.Form)
	if err != nil || bad == nil {
		return false, err
	}
	var e *apperr.Error
	if action == "draft" || action == "publish" {
		if errors.As(h.cases.ValidateCaseStudy(p.Form.input(action == "draft")), &e) {
			maps.Copy(e.Fields, bad)
			bad = e.Fields
		}
	}
	return true, h.invalid(c, *p, apperr.InvalidFields(bad))
}

// invalid shows the form again with the fields err names (422), or
// returns err when it names none.
func (h *Handler) invalid(c echo.Context, p formPage, err error) error {
	var e *apperr.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	p.Errors, p.E = fieldErrors(e.Fields)
	return h.renderForm(c, e.Kind.Status(), p)
}

// renderForm writes the case study form.
func (h *Handler) renderForm(c echo.Context, status int, p formPage) error {
	title := "New case study"
	if p.Existing != nil {
		title = "Edit " + p.Existing.Title
	}
	if p.E == nil {
		p.E = map[string]string{}
	}
	return h.render(c, status, "admin_casestudy.html", map[string]any{
		"Title": title, "Page": p, "Errors": p.Errors, "Nav": "case-studies",
		"Stages": service.Stages, "ServiceAreas": service.ServiceAreas, "Regions": h.cfg.Regions,
		"OrgTypes": config.OrgTypes, "Periods": service.SavingsPeriods,
		"ImageLimit": media.Size(int64(h.cfg.MediaMaxImageBytes)), "PDFLimit": media.Size(int64(h.cfg.MediaMaxPDFBytes)),
	})
}
