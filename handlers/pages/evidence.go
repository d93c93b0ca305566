package pages

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/web"
)

// evidencePath is where the evidence page lives.
const evidencePath = "/evidence"

// evidence answers GET /evidence: what the case studies of a feed search
// (the parameters of /feed; its sort and paging are ignored) report, at a
// glance: their number and savings, by service area, region and stage,
// their most common outcomes and lessons; each as a table with a chart,
// each number a link to the feed page of the case studies it counts.
func (h *Handler) evidence(c echo.Context) error {
	q, err := request.FeedQuery(c)
	if err != nil {
		return err
	}
	if q.SavingsMin == "" {
		q.SavingsCurrency, q.SavingsPeriod = "", ""
	}
	q.Sort, q.Limit, q.Offset = "", 0, 0
	ev, err := h.cases.FeedEvidence(c.Request().Context(), q)
	if err != nil {
		return err
	}
	applied := appliedFilters(q)
	for i := range applied {
		applied[i].Remove = strings.Replace(applied[i].Remove, feedPath, evidencePath, 1)
	}
	data := map[string]any{
		"Title": "What the region has learned", "Query": q, "Evidence": ev, "Applied": applied,
		"All": feedURL(q), "CSV": csvURL(q), "Clear": evidenceURL(service.FeedQuery{}),
		"Savings": savingsCells(q, ev.Savings, "", ""),
		"Tables": []evidenceTable{
			groupTable(q, "areas", "Case studies by service area", "Service area", "service_area", ev.ServiceAreas),
			groupTable(q, "regions", "Case studies by region", "Region", "region", ev.Regions),
			countTable(q, "stages", "Case studies by stage", "Stage", ev.Stages, func(v string) service.FeedQuery { return with(q, "stage", v) }),
			countTable(q, "outcomes", "The most common outcomes", "Outcome", ev.Outcomes, func(v string) service.FeedQuery { return withPhrase(q, v) }),
			countTable(q, "lessons", "The most common lessons", "Lesson", ev.Lessons, func(v string) service.FeedQuery { return withPhrase(q, v) }),
		},
		"SavingsTables": []savingsTable{
			groupSavings(q, "area-savings", "Reported savings by service area", "Service area", "service_area", ev.ServiceAreas),
			groupSavings(q, "region-savings", "Reported savings by region", "Region", "region", ev.Regions),
		},
		"Description": "What the case studies " + h.name() + " holds report: savings, outcomes and lessons by service area and region.",
		"Feeds":       feedLinks(feedPath, feedsQuery(q), "Case studies on "+h.name()),
	}
	return h.render(c, http.StatusOK, "evidence.html", data)
}

// evidenceURL is the evidence page's URL for q.
func evidenceURL(q service.FeedQuery) string {
	q.Sort, q.Limit, q.Offset = "", 0, 0
	u := url.URL{Path: evidencePath, RawQuery: feedValues(q).Encode()}
	return u.String()
}

// evidenceRow is one row of a table of counts: a value, how many case
// studies have it, and the feed page that lists them.
type evidenceRow struct {
	Label string
	Count int64
	Href  string
}

// evidenceTable is a table of counts with its chart.
type evidenceTable struct {
	ID, Caption, Column string
	Rows                []evidenceRow
	Chart               barChart
}

// with is q narrowed to the case studies whose facet is value.
func with(q service.FeedQuery, facet, value string) service.FeedQuery {
	n := q
	n.Filters = make(map[string][]string, len(q.Filters)+1)
	for k, v := range q.Filters {
		n.Filters[k] = v
	}
	n.Filters[facet] = []string{value}
	return n
}

// withPhrase is q narrowed to the case studies with the first words of
// text as a phrase (what an outcome or a lesson links to); q itself when
// text has no word.
func withPhrase(q service.FeedQuery, text string) service.FeedQuery {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) == 0 {
		return q
	}
	phrase := `"` + strings.Join(words[:min(len(words), 8)], " ") + `"`
	n := q
	prefix := strings.TrimSuffix(strings.TrimSpace(q.Text), " OR")
	n.Text = strings.TrimSpace(prefix + " " + phrase)
	return n
}

// groupTable is the table of the case studies by facet.
func groupTable(q service.FeedQuery, id, caption, column, facet string, groups []service.EvidenceGroup) evidenceTable {
	t := evidenceTable{ID: id, Caption: caption, Column: column}
	for _, g := range groups {
		t.Rows = append(t.Rows, evidenceRow{Label: valueLabel(facet, g.Value), Count: g.Count, Href: feedURL(with(q, facet, g.Value))})
	}
	t.Chart = countChart(id, caption, t.Rows)
	return t
}

// countTable is the table of counts, each row linking to link(value).
func countTable(q service.FeedQuery, id, caption, column string, counts []service.EvidenceCount, link func(string) service.FeedQuery) evidenceTable {
	t := evidenceTable{ID: id, Caption: caption, Column: column}
	for _, fc := range counts {
		label := fc.Value
		if id == "stages" {
			label = web.Sentence(label)
		}
		t.Rows = append(t.Rows, evidenceRow{Label: label, Count: fc.Count, Href: feedURL(link(fc.Value))})
	}
	t.Chart = countChart(id, caption, t.Rows)
	return t
}

// countChart is the bar chart of rows' counts.
func countChart(id, caption string, rows []evidenceRow) barChart {
	var bars []chartBar
	for _, r := range rows {
		bars = append(bars, chartBar{Label: r.Label, Value: float64(r.Count), Text: strconv.FormatInt(r.Count, 10)})
	}
	return newBarChart(id+"-chart", caption, bars)
}

// savingsCell is one sum of savings (in one currency per one period), the
// number of case studies that report it, and the feed page that lists
// them, the largest savings first.
type savingsCell struct {
	Text  string
	Count int64
	Href  string
	// Currency and Period are its unit, as the feed's savings filter
	// takes them.
	Currency, Period string
	Amount           float64
}

// savingsCells are totals as cells, each linking to the case studies q
// finds (with facet narrowed to value, unless facet is "") that report
// savings in its currency and period.
func savingsCells(q service.FeedQuery, totals []service.SavingsTotal, facet, value string) []savingsCell {
	var out []savingsCell
	for _, t := range totals {
		n := q
		if facet != "" {
			n = with(q, facet, value)
		}
		if n.SavingsMin == "" {
			n.SavingsMin = "0"
		}
		n.SavingsCurrency, n.SavingsPeriod, n.Sort = t.Currency, t.Period, service.SortSavings
		amount := strconv.FormatFloat(t.Amount, 'f', 2, 64)
		out = append(out, savingsCell{Text: web.Money(amount, t.Currency, t.Period), Count: t.Count, Href: feedURL(n),
			Currency: t.Currency, Period: t.Period, Amount: t.Amount})
	}
	return out
}

// savingsRow is a facet's value and one of its sums of savings.
type savingsRow struct {
	Label string
	savingsCell
}

// savingsTable is the table of the savings by a facet, with a chart per
// currency and period.
type savingsTable struct {
	ID, Caption, Column string
	Rows                []savingsRow
	Charts              []barChart
}

// groupSavings is the table of the savings of the case studies by facet.
func groupSavings(q service.FeedQuery, id, caption, column, facet string, groups []service.EvidenceGroup) savingsTable {
	t := savingsTable{ID: id, Caption: caption, Column: column}
	var units []string
	bars := map[string][]chartBar{}
	for _, g := range groups {
		label := valueLabel(facet, g.Value)
		for _, cell := range savingsCells(q, g.Savings, facet, g.Value) {
			t.Rows = append(t.Rows, savingsRow{Label: label, savingsCell: cell})
			unit := cell.Currency + ", per " + cell.Period
			if cell.Period == "one-off" {
				unit = cell.Currency + ", one-off"
			}
			if !slices.Contains(units, unit) {
				units = append(units, unit)
			}
			bars[unit] = append(bars[unit], chartBar{Label: label, Value: cell.Amount, Text: cell.Text})
		}
	}
	for i, unit := range units {
		t.Charts = append(t.Charts, newBarChart(id+"-chart-"+strconv.Itoa(i+1), caption+" ("+unit+")", bars[unit]))
	}
	return t
}
