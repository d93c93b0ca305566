package convert

import (
	"encoding/json"
	"mime"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/sanitize"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// caseStudyTypes are the object types a received case study may have:
// Pollen's Article, and the Notes and Pages other servers send.
var caseStudyTypes = []string{"Article", "Note", "Page"}

// ToCaseStudy converts an object received from a peer into a case study
// (not yet stored: ID, ActorID and Local are left for the caller). A
// Pollen Article gives back exactly the fields ToArticle wrote; a plain
// Article, Note or Page from another server still gives a readable case
// study, its title from name or the first line, its summary from summary or
// the start of the content. content is sanitised; name, summary and the
// extension fields are plain text within the limits local case studies
// have. Unknown terms are kept in Extra as a JSON object. It returns a 422
// *apperr.Error when the object has no absolute http(s) id or is not an Article,
// Note or Page.
func ToCaseStudy(o ap.Object) (models.CaseStudy, error) {
	if !ap.AbsoluteHTTP(o.ID) {
		return models.CaseStudy{}, apperr.Errorf(apperr.Unprocessable, "the object has no absolute http(s) id")
	}
	if !slices.ContainsFunc(caseStudyTypes, o.HasType) {
		return models.CaseStudy{}, apperr.Errorf(apperr.Unprocessable, "a %q is not a case study", ap.Clip(o.Type))
	}
	c := models.CaseStudy{
		IRI: o.ID, URL: remoteURL(o), Content: sanitize.HTMLText(o.Content, MaxBody),
		OrganisationType: strings.ToLower(remoteText(o.OrganisationType, MaxShortText)),
		ServiceArea:      remoteText(o.ServiceArea, MaxShortText),
		Region:           remoteText(o.Region, MaxShortText),
		Stage:            strings.ToLower(remoteText(o.Stage, MaxShortText)),
		OwnershipModel:   remoteText(o.OwnershipModel, MaxShortText),
		Outcomes:         remoteList(o.Outcomes), Lessons: remoteList(o.Lessons),
		Published: o.Published, Updated: o.Updated,
	}
	c.Title, c.Summary = remoteTitleSummary(o)
	if o.Source != nil && isMarkdown(o.Source.MediaType) && utf8.RuneCountInString(o.Source.Content) <= MaxBody {
		c.Body = sanitize.Controls(o.Source.Content, true)
	}
	if c.Updated.IsZero() || c.Updated.Before(c.Published) {
		c.Updated = c.Published
	}
	c.SavingsAmount, c.SavingsCurrency, c.SavingsPeriod = remoteSavings(o.Savings)
	c.ContactName, c.ContactRole, c.ContactEmail = remoteContact(o.Contact)
	c.Tags = remoteTags(o)
	c.Attachments = remoteAttachments(o.Attachment)
	if len(o.Extra) > 0 {
		b, err := json.Marshal(o.Extra)
		if err == nil {
			c.Extra = strings.ToValidUTF8(string(b), "\uFFFD") // raw terms keep invalid bytes
		}
	}
	return c, nil
}

// remoteURL is the object's HTML page if it is an http(s) URL, else its id.
func remoteURL(o ap.Object) string {
	if ap.AbsoluteHTTP(o.URL) {
		return o.URL
	}
	return o.ID
}

// remoteTitleSummary is the plain-text title and summary: name (plain
// text, kept as it is) and summary (HTML, read as text) when given, else
// the content's first line and its start.
func remoteTitleSummary(o ap.Object) (title, summary string) {
	title = sanitize.Clip(sanitize.CleanText(o.Name), MaxTitle)
	summary = sanitize.Clip(sanitize.PlainText(o.Summary), MaxSummary)
	text := sanitize.PlainText(o.Content)
	if title == "" {
		title = sanitize.Clip(sanitize.PlainText(firstLine(o.Content)), MaxTitle)
	}
	if title == "" {
		title = sanitize.Clip(text, MaxTitle)
	}
	if title == "" {
		title = "Untitled"
	}
	if summary == "" {
		summary = sanitize.Clip(text, MaxSummary)
	}
	return title, summary
}

var lineBreak = regexp.MustCompile(`(?i)</p>|<br\s*/?>|</h[1-6]>|</li>|\n`)

// firstLine is the HTML up to the first paragraph or line break.
func firstLine(html string) string {
	html = strings.TrimSpace(html)
	if loc := lineBreak.FindStringIndex(html); loc != nil && strings.TrimSpace(sanitize.PlainText(html[:loc[0]])) != "" {
		return html[:loc[0]]
	}
	return html
}

// remoteText is a short plain-text field: cleaned (see sanitize.CleanText) and
// clipped to max characters.
func remoteText(s string, max int) string {
	return sanitize.Clip(sanitize.CleanText(s), max)
}

func remoteList(l []string) []string {
	var out []string
	for _, s := range l {
		if s = remoteText(s, MaxListItem); s != "" && len(out) < MaxListItems {
			out = append(out, s)
		}
	}
	return out
}

func isMarkdown(mediaType string) bool {
	mt, _, err := mime.ParseMediaType(mediaType)
	return err == nil && (mt == "text/markdown" || mt == "text/x-markdown")
}

// remoteSavings keeps savings only when the amount is a decimal number.
func remoteSavings(s *ap.Savings) (amount, currency, period string) {
	if s == nil {
		return "", "", ""
	}
	amount = strings.TrimSpace(s.Amount)
	if !ValidDecimal(amount) {
		f, err := strconv.ParseFloat(amount, 64)
		if err != nil || f < 0 {
			return "", "", ""
		}
		amount = strconv.FormatFloat(f, 'f', -1, 64)
		if !ValidDecimal(amount) {
			return "", "", ""
		}
	}
	currency = strings.ToUpper(remoteText(s.Currency, 3))
	if len(currency) != 3 || strings.IndexFunc(currency, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		currency = ""
	}
	return amount, currency, strings.ToLower(remoteText(s.Period, MaxShortText))
}

// remoteContact keeps a contact with a name; an invalid email is dropped.
func remoteContact(c *ap.Contact) (name, role, email string) {
	if c == nil {
		return "", "", ""
	}
	name = remoteText(c.Name, MaxShortText)
	if name == "" {
		return "", "", ""
	}
	email = strings.TrimPrefix(strings.TrimSpace(c.Email), "mailto:")
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		email = ""
	}
	return name, remoteText(c.Role, MaxShortText), email
}

// remoteTags are the Hashtag names without '#', without the service area's
// own hashtag, valid and de-duplicated.
func remoteTags(o ap.Object) []string {
	area := strings.ToLower(HashtagName(o.ServiceArea))
	seen := map[string]bool{}
	var out []string
	for _, t := range o.Hashtags() {
		key := strings.ToLower(t)
		if (area != "" && key == area) || seen[key] || !ValidTag(t) || len(out) == MaxTags {
			continue
		}
		seen[key] = true
		out = append(out, t)
	}
	return out
}

// remoteAttachments keeps documents and images with an http(s) URL.
func remoteAttachments(list []ap.Attachment) models.AttachmentList {
	var out models.AttachmentList
	for _, a := range list {
		if a.Type == "PropertyValue" || !ap.AbsoluteHTTP(a.URL) || len(out) == MaxAttachments {
			continue
		}
		mt := a.MediaType
		if _, _, err := mime.ParseMediaType(mt); err != nil || !strings.Contains(mt, "/") {
			mt = "application/octet-stream"
			if a.Type == "Image" {
				mt = "image/*"
			}
		}
		out = append(out, models.Attachment{URL: a.URL, MediaType: mt, Name: remoteText(a.Name, MaxShortText)})
	}
	return out
}
