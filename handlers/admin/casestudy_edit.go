package admin

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
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
	})
}
