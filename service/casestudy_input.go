package service

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/currency"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/convert"
	"github.com/pollen-coop/pollen/federation/sanitize"
	"github.com/pollen-coop/pollen/federation/topics"
	"github.com/pollen-coop/pollen/internal/apperr"
)

// Stages a case study can be at.
var Stages = []string{"exploring", "spinning out", "operating", "scaling"}

// SavingsPeriods are the periods savings can be counted over.
var SavingsPeriods = []string{"one-off", "week", "month", "quarter", "year"}

// ServiceAreas is the known list of service areas (topics.Known, of which a
// hub makes its topic actors); others are accepted as free text.
var ServiceAreas = topics.Known

// Savings is money saved: a decimal amount in an ISO 4217 currency over a
// period.
type Savings struct {
	Amount   json.Number `json:"amount" yaml:"amount"`
	Currency string      `json:"currency" yaml:"currency"`
	Period   string      `json:"period" yaml:"period"`
}

// UnmarshalJSON reads savings whose amount is a JSON number or a string
// holding one ("125000.50"). An amount of any other kind is kept as written,
// so that validation answers 422 naming savings.amount rather than the
// decoder refusing the whole body.
func (s *Savings) UnmarshalJSON(b []byte) error {
	var raw struct {
		Amount   json.RawMessage `json:"amount"`
		Currency string          `json:"currency"`
		Period   string          `json:"period"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			te.Field = "savings." + te.Field
		}
		return err
	}
	*s = Savings{Currency: raw.Currency, Period: raw.Period}
	a := bytes.TrimSpace(raw.Amount)
	switch {
	case len(a) == 0 || string(a) == "null":
	case a[0] == '"':
		var text string
		if err := json.Unmarshal(a, &text); err != nil {
			return err
		}
		s.Amount = json.Number(strings.TrimSpace(text))
	default:
		s.Amount = json.Number(a)
	}
	return nil
}

// Contact is the person peers may ask about a case study.
type Contact struct {
	Name  string `json:"name" yaml:"name"`
	Role  string `json:"role,omitempty" yaml:"role"`
	Email string `json:"email,omitempty" yaml:"email"`
}

// Attachment is a linked document or image.
type Attachment struct {
	URL       string `json:"url" yaml:"url"`
	MediaType string `json:"media_type" yaml:"media_type"`
	Name      string `json:"name,omitempty" yaml:"name"`
}

// CaseStudyInput is a case study as written by its author: the body of the
// API's POST and PUT and the front matter of a published Markdown file.
type CaseStudyInput struct {
	Slug             string       `json:"slug,omitempty" yaml:"slug"`
	Title            string       `json:"title" yaml:"title"`
	Summary          string       `json:"summary" yaml:"summary"`
	Body             string       `json:"body" yaml:"body"`
	OrganisationType string       `json:"organisation_type" yaml:"organisation_type"`
	ServiceArea      string       `json:"service_area" yaml:"service_area"`
	Region           string       `json:"region" yaml:"region"`
	Stage            string       `json:"stage" yaml:"stage"`
	Outcomes         []string     `json:"outcomes" yaml:"outcomes"`
	Savings          *Savings     `json:"savings,omitempty" yaml:"savings"`
	OwnershipModel   string       `json:"ownership_model" yaml:"ownership_model"`
	Lessons          []string     `json:"lessons" yaml:"lessons"`
	Contact          *Contact     `json:"contact,omitempty" yaml:"contact"`
	Tags             []string     `json:"tags" yaml:"tags"`
	Attachments      []Attachment `json:"attachments" yaml:"attachments"`
	Published        *time.Time   `json:"published,omitempty" yaml:"published"`
	// Draft saves the case study without publishing it: it is neither
	// public nor federated until saved again without Draft.
	Draft bool `json:"draft,omitempty" yaml:"draft"`
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// normalise trims every text field, fills defaults from the node's
// configuration and checks every field. It returns a 422 *apperr.Error naming each
// bad field.
func (in *CaseStudyInput) normalise(cfg config.Config) error {
	bad := map[string]string{}
	trim := func(s *string) { *s = strings.TrimSpace(*s) }
	for _, s := range []*string{&in.Slug, &in.Title, &in.Summary, &in.OrganisationType, &in.ServiceArea,
		&in.Region, &in.Stage, &in.OwnershipModel} {
		trim(s)
	}
	in.Body = sanitize.Controls(strings.TrimRight(in.Body, " \t\r\n"), true)
	in.Summary = sanitize.CleanText(in.Summary)
	in.Title = sanitize.CleanText(in.Title)

	text := func(field, v string, required bool, max int) {
		switch n := utf8.RuneCountInString(v); {
		case required && n == 0:
			bad[field] = "is required"
		case n > max:
			bad[field] = fmt.Sprintf("is %d characters long; the most is %d", n, max)
		}
	}
	text("title", in.Title, true, convert.MaxTitle)
	text("summary", in.Summary, true, convert.MaxSummary)
	text("body", in.Body, true, convert.MaxBody)
	text("service_area", in.ServiceArea, false, convert.MaxShortText)
	text("ownership_model", in.OwnershipModel, false, convert.MaxShortText)
	if in.Slug != "" && (!slugPattern.MatchString(in.Slug) || len(in.Slug) > 80) {
		bad["slug"] = "must be lower-case letters and digits joined by single hyphens, at most 80"
	}

	in.OrganisationType = strings.ToLower(in.OrganisationType)
	if in.OrganisationType == "" {
		in.OrganisationType = cfg.OrgType
	}
	if !slices.Contains(config.OrgTypes, in.OrganisationType) {
		bad["organisation_type"] = "must be one of: " + strings.Join(config.OrgTypes, ", ")
	}
	if in.Region == "" {
		in.Region = cfg.Region
	}
	if in.Region != "" {
		if i := slices.IndexFunc(cfg.Regions, func(r string) bool { return strings.EqualFold(r, in.Region) }); i >= 0 {
			in.Region = cfg.Regions[i]
		} else {
			bad["region"] = "must be one of: " + strings.Join(cfg.Regions, ", ")
		}
	}
	in.Stage = strings.ToLower(in.Stage)
	if in.Stage != "" && !slices.Contains(Stages, in.Stage) {
		bad["stage"] = "must be one of: " + strings.Join(Stages, ", ")
	}
	if known := slices.IndexFunc(ServiceAreas, func(a string) bool { return strings.EqualFold(a, in.ServiceArea) }); known >= 0 {
		in.ServiceArea = ServiceAreas[known]
	}

	in.Outcomes = cleanList(in.Outcomes)
	in.Lessons = cleanList(in.Lessons)
	checkList(bad, "outcomes", in.Outcomes)
	checkList(bad, "lessons", in.Lessons)
	in.checkSavings(bad)
	in.checkContact(bad)
	in.checkTags(bad)
	in.dropServiceAreaTag()
	in.checkAttachments(bad)

	if len(bad) > 0 {
		return invalid(bad)
	}
	return nil
}

// invalid is a 422 naming each bad field.
func invalid(fields map[string]string) *apperr.Error {
	return &apperr.Error{Kind: apperr.Unprocessable, Message: "some fields are not valid", Fields: fields}
}

func cleanList(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func checkList(bad map[string]string, field string, list []string) {
	if len(list) > convert.MaxListItems {
		bad[field] = fmt.Sprintf("has %d items; the most is %d", len(list), convert.MaxListItems)
		return
	}
	for i, s := range list {
		if utf8.RuneCountInString(s) > convert.MaxListItem {
			bad[field] = fmt.Sprintf("item %d is longer than %d characters", i+1, convert.MaxListItem)
			return
		}
	}
}

func (in *CaseStudyInput) checkSavings(bad map[string]string) {
	s := in.Savings
	if s == nil {
		return
	}
	s.Currency = strings.ToUpper(strings.TrimSpace(s.Currency))
	s.Period = strings.ToLower(strings.TrimSpace(s.Period))
	if s.Amount == "" && s.Currency == "" && s.Period == "" {
		in.Savings = nil
		return
	}
	f, err := strconv.ParseFloat(string(s.Amount), 64)
	switch {
	case err != nil || !convert.ValidDecimal(string(s.Amount)):
		bad["savings.amount"] = "must be a decimal number such as 125000 or 99.50"
	case f < 0:
		bad["savings.amount"] = "must not be negative"
	}
	if u, err := currency.ParseISO(s.Currency); err != nil || u.String() != s.Currency {
		bad["savings.currency"] = "must be an ISO 4217 currency code such as GBP"
	}
	if !slices.Contains(SavingsPeriods, s.Period) {
		bad["savings.period"] = "must be one of: " + strings.Join(SavingsPeriods, ", ")
	}
}

func (in *CaseStudyInput) checkContact(bad map[string]string) {
	c := in.Contact
	if c == nil {
		return
	}
	c.Name, c.Role, c.Email = strings.TrimSpace(c.Name), strings.TrimSpace(c.Role), strings.TrimSpace(c.Email)
	if c.Name == "" && c.Role == "" && c.Email == "" {
		in.Contact = nil
		return
	}
	if c.Name == "" {
		bad["contact.name"] = "is required when a contact is given"
	} else if utf8.RuneCountInString(c.Name) > convert.MaxShortText {
		bad["contact.name"] = fmt.Sprintf("is longer than %d characters", convert.MaxShortText)
	}
	if utf8.RuneCountInString(c.Role) > convert.MaxShortText {
		bad["contact.role"] = fmt.Sprintf("is longer than %d characters", convert.MaxShortText)
	}
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
			bad["contact.email"] = "must be an email address such as name@example.org"
		}
	}
}

func (in *CaseStudyInput) checkTags(bad map[string]string) {
	seen := map[string]bool{}
	var tags []string
	for _, t := range in.Tags {
		t = strings.TrimPrefix(strings.TrimSpace(t), "#")
		if t == "" {
			continue
		}
		if !convert.ValidTag(t) {
			bad["tags"] = fmt.Sprintf("%q must be letters, digits and underscores, at most %d", t, convert.MaxTagLength)
			return
		}
		if !seen[strings.ToLower(t)] {
			seen[strings.ToLower(t)] = true
			tags = append(tags, t)
		}
	}
	if len(tags) > convert.MaxTags {
		bad["tags"] = fmt.Sprintf("has %d tags; the most is %d", len(tags), convert.MaxTags)
	}
	in.Tags = tags
}

// dropServiceAreaTag removes a free tag that is the service area's own
// hashtag: the Article carries that hashtag anyway, and peers read it back
// as the service area, so keeping it as a tag too would not survive the
// round trip.
func (in *CaseStudyInput) dropServiceAreaTag() {
	own := convert.HashtagName(in.ServiceArea)
	if own == "" {
		return
	}
	in.Tags = slices.DeleteFunc(in.Tags, func(t string) bool { return strings.EqualFold(t, own) })
}

func (in *CaseStudyInput) checkAttachments(bad map[string]string) {
	if len(in.Attachments) > convert.MaxAttachments {
		bad["attachments"] = fmt.Sprintf("has %d items; the most is %d", len(in.Attachments), convert.MaxAttachments)
		return
	}
	for i, a := range in.Attachments {
		field := fmt.Sprintf("attachments[%d]", i)
		u, err := url.Parse(strings.TrimSpace(a.URL))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad[field+".url"] = "must be an absolute http or https URL"
		}
		if mt, _, err := mime.ParseMediaType(a.MediaType); err != nil || !strings.Contains(mt, "/") {
			bad[field+".media_type"] = "must be a media type such as application/pdf"
		}
		in.Attachments[i].URL = strings.TrimSpace(a.URL)
		in.Attachments[i].Name = sanitize.CleanText(a.Name)
	}
}

// Slugify makes a URL slug from a title: lower-case ASCII letters and digits
// joined by hyphens, at most 80 characters.
func Slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := b.String()
	if len(s) > 80 {
		s = s[:80]
	}
	s = strings.Trim(s, "-")
	if s == "" {
		s = "case-study"
	}
	return s
}
