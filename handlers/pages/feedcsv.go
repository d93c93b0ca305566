package pages

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
)

// csvColumns are the columns of the CSV download, named as the JSON API
// names the fields of a feed item (a dot into an object: savings.amount);
// a list (outcomes, lessons, tags) is one cell, its items on lines of
// their own. The HTML content is left out: a spreadsheet cell holds
// 32,767 characters at most.
var csvColumns = []string{
	"id", "page", "url", "local", "title", "summary", "author.name", "author.id",
	"organisation_type", "service_area", "region", "stage", "ownership_model",
	"savings.amount", "savings.currency", "savings.period", "outcomes", "lessons", "tags",
	"published", "updated",
}

// feedCSV answers GET /feed.csv: the case studies a search of /feed finds
// (its parameters, but for limit and offset, which it refuses), in its
// order, as CSV, at most service.MaxExport rows after the header; its
// X-Total-Count header says how many the search finds in all. The rows
// are written as they are read, a page at a time.
func (h *Handler) feedCSV(c echo.Context) error {
	for _, name := range []string{"limit", "offset"} {
		if c.QueryParams().Has(name) {
			return apperr.Errorf(apperr.Invalid, "%s is not a parameter of /feed.csv: it holds every case study found, up to %d", name, service.MaxExport)
		}
	}
	q, err := request.FeedQuery(c)
	if err != nil {
		return err
	}
	if q.SavingsMin == "" {
		q.SavingsCurrency, q.SavingsPeriod = "", ""
	}
	w := csv.NewWriter(c.Response())
	start := func(total int64) error {
		hd := c.Response().Header()
		hd.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		hd.Set(echo.HeaderContentDisposition, `attachment; filename="case-studies.csv"`)
		hd.Set("X-Total-Count", strconv.FormatInt(total, 10))
		c.Response().WriteHeader(http.StatusOK)
		return w.Write(csvColumns)
	}
	each := func(it service.FeedItem) error { return w.Write(csvRecord(it)) }
	if err := h.cases.ExportFeed(c.Request().Context(), q, start, each); err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}

// csvRecord is it as a row of csvColumns, each cell safe to open in a
// spreadsheet (csvCell).
func csvRecord(it service.FeedItem) []string {
	var amount, currency, period string
	if s := it.Savings; s != nil {
		amount, currency, period = s.Amount.String(), s.Currency, s.Period
	}
	row := []string{
		it.ID, it.Page, it.URL, strconv.FormatBool(it.Local), it.Title, it.Summary, it.Author.Name, it.Author.ID,
		it.OrganisationType, it.ServiceArea, it.Region, it.Stage, it.OwnershipModel,
		amount, currency, period, strings.Join(it.Outcomes, "\n"), strings.Join(it.Lessons, "\n"), strings.Join(it.Tags, "\n"),
		it.Published.UTC().Format(time.RFC3339), it.Updated.UTC().Format(time.RFC3339),
	}
	for i, cell := range row {
		row[i] = csvCell(cell)
	}
	return row
}

// csvCell is s made safe from formula injection: a spreadsheet reads a
// cell that starts with =, +, -, @, a tab or a carriage return as a
// formula, so such a cell starts with a single quote, which it shows as
// text.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// csvURL is the CSV download's URL for q (its text and filters, its
// sort; no paging).
func csvURL(q service.FeedQuery) string {
	q.Limit, q.Offset = 0, 0
	u := url.URL{Path: feedPath + ".csv", RawQuery: feedValues(q).Encode()}
	return u.String()
}
