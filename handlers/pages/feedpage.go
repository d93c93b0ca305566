package pages

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/web"
)

// feedPath is where the feed page lives (a hub shows it at / too); its
// form, filter tags and pages link here.
const feedPath = "/feed"

// facetLabels name the facets of service.FeedFacets in the filter panel.
var facetLabels = map[string]string{
	"region": "Region", "service_area": "Service area", "organisation_type": "Organisation type",
	"stage": "Stage", "ownership_model": "Ownership model", "organisation": "Organisation",
	"tag": "Tag", "year": "Year",
}

// savingsPeriods and savingsCurrencies are the choices of the savings
// filter.
var (
	savingsPeriods    = []string{"year", "quarter", "month", "week", "one-off"}
	savingsCurrencies = []string{"GBP", "EUR", "USD"}
)

// feedPage answers GET /feed (and a hub's GET /): a full-text search of
// every case study this node holds, with the facet filters and their
// counts, the savings and date filters, a sort and pages, taking the
// parameters GET /api/v1/feed takes. An unknown or repeated parameter is
// an Invalid error (the error page); a query the search cannot read (its
// syntax, a savings or date filter) shows the page again with the message,
// answering 400.
func (h *Handler) feedPage(c echo.Context) error {
	q, err := request.FeedQuery(c)
	if err != nil {
		return err
	}
	if q.SavingsMin == "" {
		// The form always sends a currency and a period: they filter
		// only with an amount.
		q.SavingsCurrency, q.SavingsPeriod = "", ""
	}
	status := http.StatusOK
	res, err := h.cases.SearchFeed(c.Request().Context(), q)
	var problem string
	if fe := (*apperr.Error)(nil); errors.As(err, &fe) && fe.Kind == apperr.Invalid {
		status, problem, res = http.StatusBadRequest, fe.Message, service.FeedResult{}
	} else if err != nil {
		return err
	}
	if res.Limit == 0 {
		res.Limit = 20
	}
	data := map[string]any{
		"Title": "Find case studies", "Query": q, "Result": res, "Problem": problem, "ProblemField": problemField(problem),
		"Facets": facetPanel(q, res), "Applied": appliedFilters(q),
		"Sorts":   []string{service.SortRelevance, service.SortNewest, service.SortSavings},
		"Periods": savingsPeriods, "Currencies": savingsCurrencies,
		"Pages": pagination(q, res), "Clear": feedURL(service.FeedQuery{Text: q.Text, Sort: q.Sort}),
		"Evidence": evidenceURL(q), "CSV": csvURL(q),
		"Description": "Search every case study " + h.name() + " holds, its own and those its peers shared with it.",
		"Feeds":       feedLinks(feedPath, feedsQuery(q), "Case studies on "+h.name()),
	}
	if q.Text != "" {
		data["Title"] = "Case studies matching “" + q.Text + "”"
	}
	if err := h.addTopics(c.Request().Context(), data); err != nil {
		return err
	}
	return h.render(c, status, "feed.html", data)
}

// root serves /: the feed page on a hub, the organisation's page on any
// other node.
func (h *Handler) root(c echo.Context) error {
	if h.cfg.IsHub() {
		return h.feedPage(c)
	}
	return h.home(c)
}

// problemField is the id of the form's field a search's problem is
// about (the service names the parameter first), for the error summary's
// link; "" without a problem.
func problemField(problem string) string {
	switch {
	case problem == "":
		return ""
	case strings.HasPrefix(problem, "savings"):
		return "savings_min"
	case strings.HasPrefix(problem, "published_"), strings.HasPrefix(problem, "sort"):
		field, _, _ := strings.Cut(problem, " ")
		return field
	}
	return "q"
}

// facetOption is one checkbox of the filter panel.
type facetOption struct {
	Value, Label string
	Count        int64
	Checked      bool
}

// facetGroup is one facet of the filter panel: its parameter, label and
// options.
type facetGroup struct {
	Name, Label string
	Options     []facetOption
}

// facetPanel is the filter panel of res: every facet with values, in the
// order of service.FeedFacets, each value with its count and checked when
// q filters by it (a value asked for that counts nothing still shows, so
// that it can be unticked).
func facetPanel(q service.FeedQuery, res service.FeedResult) []facetGroup {
	var groups []facetGroup
	for _, name := range service.FeedFacets {
		g := facetGroup{Name: name, Label: facetLabels[name]}
		chosen := q.Filters[name]
		for _, fc := range res.Facets[name] {
			g.Options = append(g.Options, facetOption{Value: fc.Value, Label: valueLabel(name, fc.Value), Count: fc.Count, Checked: slices.Contains(chosen, fc.Value)})
		}
		for _, v := range chosen {
			if !slices.ContainsFunc(g.Options, func(o facetOption) bool { return o.Value == v }) {
				g.Options = append(g.Options, facetOption{Value: v, Label: valueLabel(name, v), Checked: true})
			}
		}
		if len(g.Options) > 0 {
			groups = append(groups, g)
		}
	}
	return groups
}

// valueLabel is how a facet's value reads: a tag with its hash, a service
// area or a stage as a sentence.
func valueLabel(facet, value string) string {
	switch facet {
	case "tag":
		return "#" + value
	case "region", "organisation", "year":
		return value
	}
	return web.Sentence(value)
}

// appliedFilter is a removable filter tag: what it filters by, and the
// same search without it.
type appliedFilter struct{ Label, Remove string }

// appliedFilters are the tags of q's filters, each linking to the search
// without it, from its first page.
func appliedFilters(q service.FeedQuery) []appliedFilter {
	var tags []appliedFilter
	for _, name := range service.FeedFacets {
		for _, v := range q.Filters[name] {
			without := q
			without.Filters = map[string][]string{}
			for k, vs := range q.Filters {
				without.Filters[k] = slices.DeleteFunc(slices.Clone(vs), func(s string) bool { return k == name && s == v })
			}
			tags = append(tags, appliedFilter{Label: facetLabels[name] + ": " + valueLabel(name, v), Remove: feedURL(without)})
		}
	}
	if q.SavingsMin != "" {
		without := q
		without.SavingsMin, without.SavingsCurrency, without.SavingsPeriod = "", "", ""
		tags = append(tags, appliedFilter{Label: "Savings: at least " + web.Money(q.SavingsMin, q.SavingsCurrency, q.SavingsPeriod), Remove: feedURL(without)})
	}
	if q.PublishedAfter != "" {
		without := q
		without.PublishedAfter = ""
		tags = append(tags, appliedFilter{Label: "Published from " + q.PublishedAfter, Remove: feedURL(without)})
	}
	if q.PublishedBefore != "" {
		without := q
		without.PublishedBefore = ""
		tags = append(tags, appliedFilter{Label: "Published before " + q.PublishedBefore, Remove: feedURL(without)})
	}
	return tags
}

// feedValues is q as the feed page's query string, without its empty
// parameters.
func feedValues(q service.FeedQuery) url.Values {
	v := url.Values{}
	for name, s := range map[string]string{
		"q": q.Text, "sort": q.Sort, "savings_min": q.SavingsMin, "savings_currency": q.SavingsCurrency,
		"savings_period": q.SavingsPeriod, "published_after": q.PublishedAfter, "published_before": q.PublishedBefore,
	} {
		if s != "" {
			v.Set(name, s)
		}
	}
	for _, name := range service.FeedFacets {
		for _, s := range q.Filters[name] {
			v.Add(name, s)
		}
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	if q.Offset > 0 {
		v.Set("offset", strconv.Itoa(q.Offset))
	}
	return v
}

// feedURL is the feed page's URL for q.
func feedURL(q service.FeedQuery) string {
	u := url.URL{Path: feedPath, RawQuery: feedValues(q).Encode()}
	return u.String()
}

// feedsQuery is q as the feeds (/feed.atom and the others) take it: its
// text and every filter, without its paging or its sort (a feed is newest
// first).
func feedsQuery(q service.FeedQuery) url.Values {
	q.Sort, q.Limit, q.Offset = "", 0, 0
	return feedValues(q)
}

// pageLink is one item of the GOV.UK pagination component: a page's number
// and link (Current for this page), or an ellipsis.
type pageLink struct {
	Number        int
	Href          string
	Current, Skip bool
}

// feedPages are the links of the pagination under res: Prev and Next,
// and the numbered pages (the first, the last, and those around the
// current one, with ellipses between), each keeping q's filters.
type feedPages struct {
	Prev, Next string
	Items      []pageLink
}

// pagination is the pagination of res, found for q; empty when it fits
// on one page.
func pagination(q service.FeedQuery, res service.FeedResult) feedPages {
	var p feedPages
	if res.Limit <= 0 || res.Total <= int64(res.Limit) && res.Offset == 0 {
		return p
	}
	at := func(n int) string {
		page := q
		page.Offset = (n - 1) * res.Limit
		return feedURL(page)
	}
	last := int((res.Total + int64(res.Limit) - 1) / int64(res.Limit))
	current := res.Offset/res.Limit + 1
	if current > 1 {
		p.Prev = at(min(current-1, max(last, 1)))
	}
	if current < last {
		p.Next = at(current + 1)
	}
	for n := 1; n <= last; n++ {
		switch {
		case n == 1 || n == last || (n >= current-1 && n <= current+1):
			p.Items = append(p.Items, pageLink{Number: n, Href: at(n), Current: n == current})
		case len(p.Items) > 0 && !p.Items[len(p.Items)-1].Skip:
			p.Items = append(p.Items, pageLink{Skip: true})
		}
	}
	return p
}
