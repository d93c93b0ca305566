package admin

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/web"
)

// caseForm is the case study form as typed: every field by its API name,
// kept as the browser sent it so that a form with errors shows it again.
type caseForm struct {
	Title, Summary, Body, OrganisationType, OwnershipModel string
	// ServiceArea and Region are the choices of their selects ("other":
	// the free text of ServiceAreaOther or RegionOther).
	ServiceArea, ServiceAreaOther, Region, RegionOther, Stage string
	// Outcomes and Lessons end with an empty row to add another.
	Outcomes, Lessons                             []string
	SavingsAmount, SavingsCurrency, SavingsPeriod string
	ContactName, ContactRole, ContactEmail        string
	Tags                                          string
	// Attachments are the files attached (carried in hidden fields);
	// Alt is the alt text typed for the file uploaded with the form.
	Attachments []service.Attachment
	Alt         string
}

// fieldError is one error of the form: the id of its field and the
// message, for the error summary and beside the field.
type fieldError struct {
	Field, Message string
}

// fieldOrder is the order of the form's fields, with their labels: the
// error summary lists errors in it.
var fieldOrder = []struct{ name, label string }{
	{"title", "Title"}, {"summary", "Summary"}, {"body", "Body"}, {"stage", "Stage"},
	{"service_area", "Service area"}, {"region", "Region"}, {"organisation_type", "Organisation type"},
	{"ownership_model", "Ownership model"}, {"outcomes", "Outcomes"}, {"lessons", "Lessons"},
	{"savings.amount", "Savings amount"}, {"savings.currency", "Savings currency"}, {"savings.period", "Savings period"},
	{"contact.name", "Contact name"}, {"contact.role", "Contact role"}, {"contact.email", "Contact email"},
	{"tags", "Tags"}, {"file", "The selected file"}, {"alt", "Alt text"}, {"draft", ""}, {"attachments", "Attachments"},
}

// readForm reads the posted form.
func readForm(c echo.Context) caseForm {
	v := func(name string) string { return c.FormValue(name) }
	f := caseForm{
		Title: v("title"), Summary: v("summary"), Body: v("body"), OrganisationType: v("organisation_type"),
		OwnershipModel: v("ownership_model"), ServiceArea: v("service_area"), ServiceAreaOther: v("service_area_other"),
		Region: v("region"), RegionOther: v("region_other"), Stage: v("stage"),
		SavingsAmount: v("savings.amount"), SavingsCurrency: v("savings.currency"), SavingsPeriod: v("savings.period"),
		ContactName: v("contact.name"), ContactRole: v("contact.role"), ContactEmail: v("contact.email"), Tags: v("tags"),
		Alt: v("alt"), Attachments: readAttachments(c),
	}
	if form, err := c.FormParams(); err == nil {
		f.Outcomes, f.Lessons = form["outcomes"], form["lessons"]
	}
	return f.withEmptyRows()
}

// withEmptyRows drops the empty rows of the lists and adds one at the end
// of each, for another item.
func (f caseForm) withEmptyRows() caseForm {
	keep := func(l []string) []string {
		out := []string{}
		for _, s := range l {
			if strings.TrimSpace(s) != "" {
				out = append(out, s)
			}
		}
		return append(out, "")
	}
	f.Outcomes, f.Lessons = keep(f.Outcomes), keep(f.Lessons)
	return f
}

// chosen is the value of a select with free text: the text when the
// select says "other" or nothing.
func chosen(choice, other string) string {
	if choice == "other" || choice == "" {
		return strings.TrimSpace(other)
	}
	return choice
}

// input is the form as the service takes it.
func (f caseForm) input(draft bool) service.CaseStudyInput {
	in := service.CaseStudyInput{
		Title: f.Title, Summary: f.Summary, Body: f.Body, OrganisationType: f.OrganisationType,
		OwnershipModel: f.OwnershipModel, ServiceArea: chosen(f.ServiceArea, f.ServiceAreaOther),
		Region: chosen(f.Region, f.RegionOther), Stage: f.Stage, Outcomes: f.Outcomes, Lessons: f.Lessons, Draft: draft,
		Attachments: slices.Clone(f.Attachments),
	}
	if f.SavingsAmount+f.SavingsCurrency+f.SavingsPeriod != "" {
		in.Savings = &service.Savings{Amount: json.Number(strings.TrimSpace(f.SavingsAmount)), Currency: f.SavingsCurrency, Period: f.SavingsPeriod}
	}
	if f.ContactName+f.ContactRole+f.ContactEmail != "" {
		in.Contact = &service.Contact{Name: f.ContactName, Role: f.ContactRole, Email: f.ContactEmail}
	}
	for _, t := range strings.Split(f.Tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			in.Tags = append(in.Tags, t)
		}
	}
	return in
}

// formOf is the form filled with a stored case study.
func formOf(v service.CaseStudyView, regions []string) caseForm {
	f := caseForm{
		Title: v.Title, Summary: v.Summary, Body: v.Body, OrganisationType: v.OrganisationType,
		OwnershipModel: v.OwnershipModel, ServiceArea: v.ServiceArea, Region: v.Region, Stage: v.Stage,
		Outcomes: v.Outcomes, Lessons: v.Lessons, Tags: strings.Join(v.Tags, ", "), Attachments: v.Attachments,
	}
	if v.ServiceArea != "" && !slices.Contains(service.ServiceAreas, v.ServiceArea) {
		f.ServiceArea, f.ServiceAreaOther = "other", v.ServiceArea
	}
	if v.Region != "" && !slices.Contains(regions, v.Region) {
		f.Region, f.RegionOther = "other", v.Region
	}
	if s := v.Savings; s != nil {
		f.SavingsAmount, f.SavingsCurrency, f.SavingsPeriod = string(s.Amount), s.Currency, s.Period
	}
	if ct := v.Contact; ct != nil {
		f.ContactName, f.ContactRole, f.ContactEmail = ct.Name, ct.Role, ct.Email
	}
	return f.withEmptyRows()
}

// fieldErrors are the 422's fields as the form shows them, in the form's
// order: the summary's list, and the message by field id.
func fieldErrors(fields map[string]string) ([]fieldError, map[string]string) {
	var list []fieldError
	byID := map[string]string{}
	for _, f := range fieldOrder {
		msg, ok := fields[f.name]
		if !ok {
			continue
		}
		id := strings.ReplaceAll(f.name, ".", "-")
		if f.name == "draft" || f.name == "attachments" {
			// No field of the form: the summary points at its buttons.
			id = "actions"
		}
		e := fieldError{Field: id, Message: f.label + " " + msg}
		if f.label == "" {
			e.Message = web.Sentence(msg)
		}
		list = append(list, e)
		byID[id] = e.Message
	}
	for name, msg := range fields {
		if !slices.ContainsFunc(fieldOrder, func(f struct{ name, label string }) bool { return f.name == name }) {
			list = append(list, fieldError{Field: "actions", Message: name + " " + msg})
		}
	}
	return list, byID
}
