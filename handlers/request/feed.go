package request

import (
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
)

// feedParams are the parameters of a feed search besides the facets, in
// the order an error lists them.
var feedParams = []string{"q", "sort", "limit", "offset", "savings_min", "savings_currency", "savings_period",
	"published_after", "published_before"}

// FeedQuery reads a feed search from the URL: q, sort, limit, offset,
// each facet of service.FeedFacets (repeated for several values:
// region=North+West&region=London), savings_min with savings_currency and
// savings_period, published_after and published_before. It returns an
// Invalid *apperr.Error for an unknown parameter, a q longer than
// MaxFilterLength, a parameter given twice
// that is not a facet, a facet value longer than MaxFilterLength, or a bad
// limit or offset; the service checks the rest. The error of unknown
// parameters names them all, and those it takes.
func FeedQuery(c echo.Context) (service.FeedQuery, error) {
	f := service.FeedQuery{Filters: map[string][]string{}}
	facets := map[string]bool{}
	for _, name := range service.FeedFacets {
		facets[name] = true
	}
	if err := unknownParams(c, append(slices.Clone(feedParams), service.FeedFacets...)); err != nil {
		return f, err
	}
	for name, values := range c.QueryParams() {
		switch {
		case facets[name]:
			for _, v := range values {
				if err := CheckFilterLength(name, v); err != nil {
					return f, err
				}
				if v != "" {
					f.Filters[name] = append(f.Filters[name], v)
				}
			}
		case len(values) > 1:
			return f, apperr.Errorf(apperr.Invalid, "%s is given more than once", name)
		}
	}
	f.Text, f.Sort = c.QueryParam("q"), c.QueryParam("sort")
	if err := CheckFilterLength("q", f.Text); err != nil {
		return f, err
	}
	f.SavingsMin, f.SavingsCurrency, f.SavingsPeriod = c.QueryParam("savings_min"), c.QueryParam("savings_currency"), c.QueryParam("savings_period")
	f.PublishedAfter, f.PublishedBefore = c.QueryParam("published_after"), c.QueryParam("published_before")
	for name, dst := range map[string]*int{"limit": &f.Limit, "offset": &f.Offset} {
		v := c.QueryParam(name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1_000_000 || (name == "limit" && (n < 1 || n > 100)) {
			return f, apperr.Errorf(apperr.Invalid, "%s must be a whole number (limit 1 to 100)", name)
		}
		*dst = n
	}
	return f, nil
}
