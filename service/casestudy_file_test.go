package service_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
)

func TestParseCaseStudyFile(t *testing.T) {
	file := "\xef\xbb\xbf---\r\n" + `title: Keeping the libraries open
summary: How a mutual kept five libraries open.
organisation_type: public service mutual
service_area: libraries
region: North West
stage: operating
outcomes:
  - Five libraries open
  - Longer hours
savings:
  amount: 125000.50
  currency: GBP
  period: year
ownership_model: employee-owned
lessons: [Start early, Talk to staff]
contact:
  name: Ann
  role: Director
  email: ann@example.org
tags: [Libraries, mutuals]
attachments:
  - url: https://example.org/r.pdf
    media_type: application/pdf
    name: Report
published: 2024-03-01T09:00:00Z
---

# Background

We **did** it.
`
	in, err := service.ParseCaseStudyFile("docs/Library Mutual.md", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"slug from the file name", in.Slug, "library-mutual"},
		{"title", in.Title, "Keeping the libraries open"},
		{"body", in.Body, "# Background\n\nWe **did** it."},
		{"organisation type", in.OrganisationType, "public service mutual"},
		{"outcomes", strings.Join(in.Outcomes, "|"), "Five libraries open|Longer hours"},
		{"lessons", strings.Join(in.Lessons, "|"), "Start early|Talk to staff"},
		{"amount", string(in.Savings.Amount), "125000.50"},
		{"currency", in.Savings.Currency, "GBP"},
		{"contact", in.Contact.Email, "ann@example.org"},
		{"tags", strings.Join(in.Tags, "|"), "Libraries|mutuals"},
		{"attachment", in.Attachments[0].MediaType, "application/pdf"},
		{"published", in.Published != nil && in.Published.Equal(time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)), true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}

	withSlug := "---\nslug: chosen\ntitle: T\n---\nBody"
	if in, err := service.ParseCaseStudyFile("other.md", []byte(withSlug)); err != nil || in.Slug != "chosen" || in.Body != "Body" {
		t.Errorf("front matter slug: %+v, %v", in, err)
	}
	onlyFront := "---\ntitle: T\nbody: In the front matter\n---"
	if in, err := service.ParseCaseStudyFile("x.md", []byte(onlyFront)); err != nil || in.Body != "In the front matter" {
		t.Errorf("body in the front matter: %+v, %v", in, err)
	}
}

func TestParseCaseStudyFileErrors(t *testing.T) {
	tests := []struct{ name, file string }{
		{"no front matter", "# Title\n\nBody"},
		{"unclosed front matter", "---\ntitle: T\nBody"},
		{"unknown field", "---\ntitel: T\n---\nBody"},
		{"bad YAML", "---\ntitle: [\n---\nBody"},
		{"wrong type", "---\ntags: {a: b}\n---\nBody"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := service.ParseCaseStudyFile("case.md", []byte(tt.file))
			var fe *apperr.Error
			if !errors.As(err, &fe) || fe.Kind != apperr.Invalid || !strings.Contains(fe.Message, "case.md") {
				t.Errorf("ParseCaseStudyFile = %v, want a 400 naming the file", err)
			}
		})
	}
}
