package request

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
)

// PageParam reads ?page=N (1 or more; "true" is 1); absent is 0. It
// returns an Invalid *apperr.Error for anything else.
func PageParam(c echo.Context) (int, error) {
	p := c.QueryParam("page")
	if p == "" {
		return 0, nil
	}
	if p == "true" {
		return 1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 100000 {
		return 0, apperr.Errorf(apperr.Invalid, "page must be a whole number from 1")
	}
	return n, nil
}

// MaxFilterLength is the longest search or filter text a list accepts, in
// characters: a longer search would hold a database reader for seconds.
const MaxFilterLength = 200

// CaseStudyFilter reads a case study list's filters (region, service_area,
// organisation_type, stage, tag, q) and paging (limit, offset). It returns
// an Invalid *apperr.Error for a filter longer than MaxFilterLength or a
// bad limit or offset.
func CaseStudyFilter(c echo.Context) (service.CaseStudyFilter, error) {
	q := service.CaseStudyFilter{
		Region: c.QueryParam("region"), ServiceArea: c.QueryParam("service_area"),
		OrganisationType: c.QueryParam("organisation_type"), Stage: c.QueryParam("stage"),
		Tag: c.QueryParam("tag"), Text: c.QueryParam("q"),
	}
	for _, name := range filterParams() {
		if err := CheckFilterLength(name, c.QueryParam(name)); err != nil {
			return q, err
		}
	}
	for name, dst := range map[string]*int{"limit": &q.Limit, "offset": &q.Offset} {
		v := c.QueryParam(name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || (name == "limit" && (n < 1 || n > 100)) {
			return q, apperr.Errorf(apperr.Invalid, "%s must be a whole number (limit 1 to 100)", name)
		}
		*dst = n
	}
	return q, nil
}

// filterParams are the text filters CaseStudyFilter reads.
func filterParams() []string {
	return []string{"q", "tag", "region", "service_area", "organisation_type", "stage"}
}

// unknownParams returns an Invalid *apperr.Error naming every query
// parameter of c that is not one of known, and listing known.
func unknownParams(c echo.Context, known []string) error {
	var unknown []string
	for name := range c.QueryParams() {
		if !slices.Contains(known, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	noun := "parameter"
	if len(unknown) > 1 {
		noun += "s"
	}
	return apperr.Errorf(apperr.Invalid, "unknown %s %s: this takes only %s",
		noun, strings.Join(quoteAll(unknown), ", "), strings.Join(known, ", "))
}

// FilterQuery is the request's filters (not its paging), as a query
// string: what carries them from a page to its feeds.
func FilterQuery(c echo.Context) url.Values {
	q := url.Values{}
	for _, name := range filterParams() {
		if v := c.QueryParam(name); v != "" {
			q.Set(name, v)
		}
	}
	return q
}

// quoteAll is each of l in double quotes.
func quoteAll(l []string) []string {
	q := make([]string, len(l))
	for i, s := range l {
		if r := []rune(s); len(r) > 40 {
			s = string(r[:40]) + "…"
		}
		q[i] = strconv.Quote(s)
	}
	return q
}

// CheckFilterLength refuses, with an Invalid *apperr.Error, a filter value
// longer than MaxFilterLength characters.
func CheckFilterLength(name, value string) error {
	if len(value) > MaxFilterLength && utf8.RuneCountInString(value) > MaxFilterLength {
		return apperr.Errorf(apperr.Invalid, "%s is longer than %d characters", name, MaxFilterLength)
	}
	return nil
}
