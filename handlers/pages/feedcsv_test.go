package pages_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

func TestFeedCSV(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) { testFeedCSV(t, evidenceHub(t, db)) })
}

func testFeedCSV(t *testing.T, n *testrig.Node) {
	r := testrig.Do(t, http.MethodGet, n.URL+"/feed.csv?sort=newest&region=North+West&region=Wales", nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /feed.csv = %d %s", r.Status, r.Body)
	}
	for name, want := range map[string]string{
		"Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="case-studies.csv"`, "X-Total-Count": "6",
	} {
		if got := r.Header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, r.Body)
	}
	header := rows[0]
	if !slices.Equal(header[:6], []string{"id", "page", "url", "local", "title", "summary"}) || !slices.Contains(header, "savings.amount") {
		t.Errorf("header %q", header)
	}
	col := func(row []string, name string) string { return row[slices.Index(header, name)] }
	var titles []string
	for _, row := range rows[1:] {
		if len(row) != len(header) {
			t.Fatalf("row of %d cells: %q", len(row), row)
		}
		titles = append(titles, col(row, "title"))
	}
	want := []string{`'=HYPERLINK("https://evil.example") Museums in Lyon`, "Keeping youth clubs open through a community interest company", "Spinning out Northshire's library service as a staff mutual",
		"Home care as a mutual", "A library trust for Bolton", "Leisure centres run by their staff"}
	if !slices.Equal(titles, want) {
		t.Errorf("titles %q,\nwant %q", titles, want)
	}
	// A cell a spreadsheet would read as a formula starts with a quote.
	museum := rows[1]
	for name, want := range map[string]string{
		"summary": "'+A museum trust.", "lessons": "'-Start early\n@Ask staff", "savings.amount": "5000", "savings.currency": "EUR",
		"savings.period": "month", "local": "true", "region": "Wales", "tags": "museums",
	} {
		if got := col(museum, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if got := col(rows[4], "page"); !strings.HasPrefix(got, n.URL+"/feed/items/") {
		t.Errorf("a received case study's page %q", got)
	}

	for _, query := range []string{"limit=5", "offset=1", "colour=red", "q=-pools", "sort=best"} {
		testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+"/feed.csv?"+query, nil, nil), http.StatusBadRequest)
	}
	r = testrig.Do(t, http.MethodGet, n.URL+"/feed.csv?region=Atlantis", nil, nil)
	if rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll(); r.Status != http.StatusOK || err != nil || len(rows) != 1 {
		t.Errorf("empty CSV = %d, %d rows, %v", r.Status, len(rows), err)
	}
}
