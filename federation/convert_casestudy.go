package federation

import (
	"html"
	"net/url"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/convert"
	"github.com/pollen-coop/pollen/models"
)

// Time formats t as ActivityStreams dates are written: RFC 3339, UTC, whole
// seconds.
func Time(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// EditTime formats an edit's time as `updated` is written: RFC 3339, UTC,
// to the millisecond, always three digits of fraction, so that edits made
// within one second stay apart and in order, even compared as text.
func EditTime(t time.Time) string {
	return t.UTC().Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000Z07:00")
}

// ToArticle converts a case study by author into an Article without
// @context (embed it, or set Context to serve it alone). The title and the
// summary are plain text: name is plain text in ActivityStreams and goes
// as it is; summary is HTML, so the summary is escaped
// (convert.ToCaseStudy reads it back exactly).
func (s *Documents) ToArticle(c models.CaseStudy, author models.Actor) Article {
	a := Article{
		ID: c.IRI, Type: "Article", AttributedTo: author.IRI,
		Name: c.Title, Summary: html.EscapeString(c.Summary), Content: c.Content, MediaType: "text/html",
		URL: c.URL, Published: Time(c.Published),
		To: []string{ap.PublicIRI}, Cc: []string{author.Followers},
		Tag: []Tag{}, OrgType: c.OrganisationType, ServiceArea: c.ServiceArea,
		Region: c.Region, Stage: c.Stage, Outcomes: c.Outcomes, Ownership: c.OwnershipModel,
		Lessons: c.Lessons,
	}
	if c.Body != "" {
		a.Source = &Source{Content: c.Body, MediaType: "text/markdown"}
	}
	if c.Updated.After(c.Published) {
		a.Updated = EditTime(c.Updated)
	}
	for _, t := range hashtags(c) {
		a.Tag = append(a.Tag, Tag{Type: "Hashtag", Href: s.cfg.URL("/tags/" + url.PathEscape(strings.ToLower(t))), Name: "#" + t})
	}
	for _, d := range c.Attachments {
		typ := "Document"
		if strings.HasPrefix(d.MediaType, "image/") {
			typ = "Image"
		}
		a.Attachment = append(a.Attachment, Document{Type: typ, MediaType: d.MediaType, URL: d.URL, Name: d.Name})
		if a.Image == nil && typ == "Image" {
			card := a.Attachment[len(a.Attachment)-1]
			a.Image = &card
		}
	}
	if c.SavingsAmount != "" {
		a.Savings = &ap.Savings{Amount: c.SavingsAmount, Currency: c.SavingsCurrency, Period: c.SavingsPeriod}
	}
	if c.ContactName != "" {
		a.Contact = &ap.Contact{Name: c.ContactName, Role: c.ContactRole, Email: c.ContactEmail}
	}
	return a
}

// ToTombstone is what a deleted case study's IRI serves.
func ToTombstone(c models.CaseStudy) Tombstone {
	deleted := c.Updated
	if c.DeletedAt != nil {
		deleted = *c.DeletedAt
	}
	return Tombstone{Context: ap.Context, ID: c.IRI, Type: "Tombstone", FormerType: "Article", Deleted: Time(deleted)}
}

// hashtags are a case study's hashtags without '#': the service area's
// first, then the tags, each once whatever its case.
func hashtags(c models.CaseStudy) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, t := range append([]string{convert.HashtagName(c.ServiceArea)}, c.Tags...) {
		if t == "" || seen[strings.ToLower(t)] {
			continue
		}
		seen[strings.ToLower(t)] = true
		out = append(out, t)
	}
	return out
}
