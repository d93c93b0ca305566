package request

import (
	"strconv"
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
	for _, name := range []string{"q", "tag", "region", "service_area", "organisation_type", "stage"} {
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

// CheckFilterLength refuses, with an Invalid *apperr.Error, a filter value
// longer than MaxFilterLength characters.
func CheckFilterLength(name, value string) error {
	if len(value) > MaxFilterLength && utf8.RuneCountInString(value) > MaxFilterLength {
		return apperr.Errorf(apperr.Invalid, "%s is longer than %d characters", name, MaxFilterLength)
	}
	return nil
}
