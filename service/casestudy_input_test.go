package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/testrig"
)

// newService is the case studies over a fresh SQLite store, with the
// federation service they announce through and the store; the node's
// actor is made.
func newService(t *testing.T) (*service.CaseStudies, *federation.Service, *models.Store) {
	t.Helper()
	cfg := config.Default()
	cfg.Handle, cfg.Name, cfg.OrgType, cfg.Region = "org", "Test Council", "council", "North West"
	store := testrig.Store(t, testrig.SQLite(t))
	fed := federation.New(cfg, store, testrig.Logger(t))
	if _, err := fed.EnsureLocalActor(context.Background()); err != nil {
		t.Fatal(err)
	}
	return service.NewCaseStudies(cfg, store, fed, testrig.Logger(t), nil), fed, store
}

// validInput sets every field.
func validInput() service.CaseStudyInput {
	return service.CaseStudyInput{
		Title: "Keeping the libraries open", Summary: "How a mutual kept five libraries open.",
		Body: "We **did** it.", OrganisationType: "public service mutual", ServiceArea: "libraries",
		Region: "North West", Stage: "operating", Outcomes: []string{"Five libraries open"},
		Savings:        &service.Savings{Amount: "125000", Currency: "GBP", Period: "year"},
		OwnershipModel: "employee-owned", Lessons: []string{"Start early"},
		Contact:     &service.Contact{Name: "Ann", Role: "Director", Email: "ann@example.org"},
		Tags:        []string{"Libraries", "#mutuals"},
		Attachments: []service.Attachment{{URL: "https://example.org/r.pdf", MediaType: "application/pdf", Name: "Report"}},
	}
}

func TestPublishValidation(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	many := func(n int) []string {
		l := make([]string, n)
		for i := range l {
			l[i] = "item"
		}
		return l
	}
	tests := []struct {
		field string
		edit  func(*service.CaseStudyInput)
	}{
		{"title", func(in *service.CaseStudyInput) { in.Title = "  " }},
		{"title", func(in *service.CaseStudyInput) { in.Title = long(201) }},
		{"summary", func(in *service.CaseStudyInput) { in.Summary = "" }},
		{"summary", func(in *service.CaseStudyInput) { in.Summary = " \x00\t\n " }},
		{"summary", func(in *service.CaseStudyInput) { in.Summary = long(501) }},
		{"body", func(in *service.CaseStudyInput) { in.Body = "\n \n" }},
		{"body", func(in *service.CaseStudyInput) { in.Body = long(100_001) }},
		{"slug", func(in *service.CaseStudyInput) { in.Slug = "Not A Slug" }},
		{"slug", func(in *service.CaseStudyInput) { in.Slug = "double--hyphen" }},
		{"organisation_type", func(in *service.CaseStudyInput) { in.OrganisationType = "company" }},
		{"region", func(in *service.CaseStudyInput) { in.Region = "Atlantis" }},
		{"stage", func(in *service.CaseStudyInput) { in.Stage = "finished" }},
		{"service_area", func(in *service.CaseStudyInput) { in.ServiceArea = long(201) }},
		{"ownership_model", func(in *service.CaseStudyInput) { in.OwnershipModel = long(201) }},
		{"outcomes", func(in *service.CaseStudyInput) { in.Outcomes = many(51) }},
		{"outcomes", func(in *service.CaseStudyInput) { in.Outcomes = []string{long(1001)} }},
		{"lessons", func(in *service.CaseStudyInput) { in.Lessons = many(51) }},
		{"savings.amount", func(in *service.CaseStudyInput) { in.Savings.Amount = "lots" }},
		{"savings.amount", func(in *service.CaseStudyInput) { in.Savings.Amount = "-5" }},
		{"savings.amount", func(in *service.CaseStudyInput) { in.Savings.Amount = "1e9" }},
		{"savings.currency", func(in *service.CaseStudyInput) { in.Savings.Currency = "POUNDS" }},
		{"savings.currency", func(in *service.CaseStudyInput) { in.Savings.Currency = "XYZ" }},
		{"savings.period", func(in *service.CaseStudyInput) { in.Savings.Period = "decade" }},
		{"contact.name", func(in *service.CaseStudyInput) { in.Contact.Name = "" }},
		{"contact.email", func(in *service.CaseStudyInput) { in.Contact.Email = "not an email" }},
		{"contact.email", func(in *service.CaseStudyInput) { in.Contact.Email = "Ann <ann@example.org>" }},
		{"contact.role", func(in *service.CaseStudyInput) { in.Contact.Role = long(201) }},
		{"tags", func(in *service.CaseStudyInput) { in.Tags = []string{"two words"} }},
		{"tags", func(in *service.CaseStudyInput) { in.Tags = []string{"<script>"} }},
		{"tags", func(in *service.CaseStudyInput) {
			in.Tags = nil
			for i := range 21 {
				in.Tags = append(in.Tags, "t"+strings.Repeat("x", i))
			}
		}},
		{"attachments[0].url", func(in *service.CaseStudyInput) { in.Attachments[0].URL = "javascript:alert(1)" }},
		{"attachments[0].url", func(in *service.CaseStudyInput) { in.Attachments[0].URL = "/relative.pdf" }},
		{"attachments[0].media_type", func(in *service.CaseStudyInput) { in.Attachments[0].MediaType = "pdf" }},
	}
	svc, _, store := newService(t)
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			in := validInput()
			tt.edit(&in)
			_, err := svc.PublishCaseStudy(ctx, in)
			var fe *apperr.Error
			if !errors.As(err, &fe) || fe.Kind != apperr.Unprocessable {
				t.Fatalf("PublishCaseStudy = %v, want a 422 *apperr.Error", err)
			}
			if len(fe.Fields) != 1 || fe.Fields[tt.field] == "" {
				t.Errorf("fields %v, want only %q named", fe.Fields, tt.field)
			}
		})
	}
	_, total, err := store.CaseStudies.List(ctx, models.CaseStudyQuery{})
	if err != nil || total != 0 {
		t.Errorf("invalid input stored %d case studies (%v)", total, err)
	}
}

func TestPublishNormalises(t *testing.T) {
	svc, _, _ := newService(t)
	in := validInput()
	in.Title = "  Keeping the\x00 libraries \n  open "
	in.Summary = "Five <libraries> &amp; \"more\"\x07"
	in.Region = "north west"
	in.OrganisationType = ""
	in.ServiceArea = "Adult Social Care"
	in.Stage = "Operating"
	in.Tags = []string{" #Libraries", "libraries", "", "Co_op", "adultsocialcare"}
	in.Outcomes = []string{" kept ", "", "improved"}
	in.Savings.Currency = "gbp"
	in.Contact = &service.Contact{}
	v, err := svc.PublishCaseStudy(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"title", v.Title, "Keeping the libraries open"},
		{"summary as typed", v.Summary, "Five <libraries> &amp; \"more\""},
		{"region", v.Region, "North West"},
		{"organisation type", v.OrganisationType, "council"},
		{"service area", v.ServiceArea, "adult social care"},
		{"stage", v.Stage, "operating"},
		{"tags (less the service area's own hashtag)", strings.Join(v.Tags, ","), "Libraries,Co_op"},
		{"outcomes", strings.Join(v.Outcomes, ","), "kept,improved"},
		{"currency", v.Savings.Currency, "GBP"},
		{"amount", v.Savings.Amount, json.Number("125000")},
		{"contact", v.Contact == nil, true},
		{"slug", v.Slug, "keeping-the-libraries-open"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Keeping the libraries open", "keeping-the-libraries-open"},
		{"  Leisure: 10 years on!  ", "leisure-10-years-on"},
		{"Children's services", "children-s-services"},
		{"Café culturel", "caf-culturel"},
		{"---", "case-study"},
		{"", "case-study"},
		{"日本語", "case-study"},
		{strings.Repeat("abc ", 30), strings.TrimSuffix(strings.Repeat("abc-", 20), "-")},
	}
	for _, tt := range tests {
		got := service.Slugify(tt.in)
		if got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) > 80 || strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") {
			t.Errorf("Slugify(%q) = %q is not a valid slug", tt.in, got)
		}
	}
}
