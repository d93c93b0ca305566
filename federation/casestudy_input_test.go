package federation_test

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
	"github.com/pollen-coop/pollen/testrig"
)

// newService is a service over a fresh SQLite store, with its actor made.
func newService(t *testing.T) *federation.Service {
	t.Helper()
	cfg := config.Default()
	cfg.Handle, cfg.Name, cfg.OrgType, cfg.Region = "org", "Test Council", "council", "North West"
	svc := federation.New(cfg, testrig.Store(t, testrig.SQLite(t)), testrig.Logger(t))
	if _, err := svc.EnsureLocalActor(context.Background()); err != nil {
		t.Fatal(err)
	}
	return svc
}

// validInput sets every field.
func validInput() federation.CaseStudyInput {
	return federation.CaseStudyInput{
		Title: "Keeping the libraries open", Summary: "How a mutual kept five libraries open.",
		Body: "We **did** it.", OrganisationType: "public service mutual", ServiceArea: "libraries",
		Region: "North West", Stage: "operating", Outcomes: []string{"Five libraries open"},
		Savings:        &federation.Savings{Amount: "125000", Currency: "GBP", Period: "year"},
		OwnershipModel: "employee-owned", Lessons: []string{"Start early"},
		Contact:     &federation.Contact{Name: "Ann", Role: "Director", Email: "ann@example.org"},
		Tags:        []string{"Libraries", "#mutuals"},
		Attachments: []federation.Attachment{{URL: "https://example.org/r.pdf", MediaType: "application/pdf", Name: "Report"}},
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
		edit  func(*federation.CaseStudyInput)
	}{
		{"title", func(in *federation.CaseStudyInput) { in.Title = "  " }},
		{"title", func(in *federation.CaseStudyInput) { in.Title = long(201) }},
		{"summary", func(in *federation.CaseStudyInput) { in.Summary = "" }},
		{"summary", func(in *federation.CaseStudyInput) { in.Summary = " \x00\t\n " }},
		{"summary", func(in *federation.CaseStudyInput) { in.Summary = long(501) }},
		{"body", func(in *federation.CaseStudyInput) { in.Body = "\n \n" }},
		{"body", func(in *federation.CaseStudyInput) { in.Body = long(100_001) }},
		{"slug", func(in *federation.CaseStudyInput) { in.Slug = "Not A Slug" }},
		{"slug", func(in *federation.CaseStudyInput) { in.Slug = "double--hyphen" }},
		{"organisation_type", func(in *federation.CaseStudyInput) { in.OrganisationType = "company" }},
		{"region", func(in *federation.CaseStudyInput) { in.Region = "Atlantis" }},
		{"stage", func(in *federation.CaseStudyInput) { in.Stage = "finished" }},
		{"service_area", func(in *federation.CaseStudyInput) { in.ServiceArea = long(201) }},
		{"ownership_model", func(in *federation.CaseStudyInput) { in.OwnershipModel = long(201) }},
		{"outcomes", func(in *federation.CaseStudyInput) { in.Outcomes = many(51) }},
		{"outcomes", func(in *federation.CaseStudyInput) { in.Outcomes = []string{long(1001)} }},
		{"lessons", func(in *federation.CaseStudyInput) { in.Lessons = many(51) }},
		{"savings.amount", func(in *federation.CaseStudyInput) { in.Savings.Amount = "lots" }},
		{"savings.amount", func(in *federation.CaseStudyInput) { in.Savings.Amount = "-5" }},
		{"savings.amount", func(in *federation.CaseStudyInput) { in.Savings.Amount = "1e9" }},
		{"savings.currency", func(in *federation.CaseStudyInput) { in.Savings.Currency = "POUNDS" }},
		{"savings.currency", func(in *federation.CaseStudyInput) { in.Savings.Currency = "XYZ" }},
		{"savings.period", func(in *federation.CaseStudyInput) { in.Savings.Period = "decade" }},
		{"contact.name", func(in *federation.CaseStudyInput) { in.Contact.Name = "" }},
		{"contact.email", func(in *federation.CaseStudyInput) { in.Contact.Email = "not an email" }},
		{"contact.email", func(in *federation.CaseStudyInput) { in.Contact.Email = "Ann <ann@example.org>" }},
		{"contact.role", func(in *federation.CaseStudyInput) { in.Contact.Role = long(201) }},
		{"tags", func(in *federation.CaseStudyInput) { in.Tags = []string{"two words"} }},
		{"tags", func(in *federation.CaseStudyInput) { in.Tags = []string{"<script>"} }},
		{"tags", func(in *federation.CaseStudyInput) {
			in.Tags = nil
			for i := range 21 {
				in.Tags = append(in.Tags, "t"+strings.Repeat("x", i))
			}
		}},
		{"attachments[0].url", func(in *federation.CaseStudyInput) { in.Attachments[0].URL = "javascript:alert(1)" }},
		{"attachments[0].url", func(in *federation.CaseStudyInput) { in.Attachments[0].URL = "/relative.pdf" }},
		{"attachments[0].media_type", func(in *federation.CaseStudyInput) { in.Attachments[0].MediaType = "pdf" }},
	}
	svc := newService(t)
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
	_, total, err := svc.StoreForTest().ListCaseStudies(ctx, models.CaseStudyQuery{})
	if err != nil || total != 0 {
		t.Errorf("invalid input stored %d case studies (%v)", total, err)
	}
}

func TestPublishNormalises(t *testing.T) {
	svc := newService(t)
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
	in.Contact = &federation.Contact{}
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
		got := federation.Slugify(tt.in)
		if got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) > 80 || strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") {
			t.Errorf("Slugify(%q) = %q is not a valid slug", tt.in, got)
		}
	}
}

func TestHashtagName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"adult social care", "AdultSocialCare"},
		{"children's services", "ChildrensServices"},
		{"children’s services", "ChildrensServices"},
		{"youth-services", "YouthServices"},
		{"health", "Health"},
		{"arts & culture 2024", "ArtsCulture2024"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := federation.HashtagName(tt.in); got != tt.want {
			t.Errorf("HashtagName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
