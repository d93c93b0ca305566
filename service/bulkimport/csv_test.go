package bulkimport_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/service/bulkimport"
)

// validate checks a row as the API would.
var validate = service.NewCaseStudies(config.Default(), nil, nil, nil, nil).ValidateCaseStudy

// badFields are the fields err names, sorted.
func badFields(err error) []string {
	if ae, ok := err.(*apperr.Error); ok {
		if len(ae.Fields) == 0 {
			return []string{ae.Message}
		}
		return slices.Sorted(maps.Keys(ae.Fields))
	}
	if err != nil {
		return []string{err.Error()}
	}
	return nil
}

func TestReadCSV(t *testing.T) {
	const head = "title,summary,body\n"
	tests := []struct {
		name string
		csv  string
		// refused: the whole file is, with this in the error.
		refused string
		// sources are the rows' sources; bad, per row, the fields its
		// reading or its validation names.
		sources []string
		bad     [][]string
		check   func(t *testing.T, rows []bulkimport.Row)
	}{
		{name: "quoted cells with commas, quotes and line breaks",
			csv:     head + `"Libraries, kept open","A ""mutual"" did it.","Line one` + "\n\n" + `Line two"` + "\nSecond,S,B\n",
			sources: []string{"line 2", "line 5"}, bad: [][]string{nil, nil},
			check: func(t *testing.T, rows []bulkimport.Row) {
				in := rows[0].Input
				if in.Title != "Libraries, kept open" || in.Summary != `A "mutual" did it.` || in.Body != "Line one\n\nLine two" {
					t.Errorf("read %+v", in)
				}
			}},
		{name: "a byte order mark and CRLF line ends",
			csv:     "\ufeffTitle, Summary ,BODY,outcomes\r\nA,S,\"B\r\nmore\",\"one\r\ntwo; still two\"\r\n",
			sources: []string{"line 2"}, bad: [][]string{nil},
			check: func(t *testing.T, rows []bulkimport.Row) {
				in := rows[0].Input
				if in.Title != "A" || in.Body != "B\nmore" || !slices.Equal(in.Outcomes, []string{"one", "two; still two"}) {
					t.Errorf("read %+v", in)
				}
			}},
		{name: "every column",
			csv: strings.Join(bulkimport.Columns, ",") + "\n" +
				"T,S,B,council,Libraries,london,operating,\"a;b , c\",\"l1\nl2\",#Tag1;tag2,co-op,my-slug,2024-03-01," +
				"125000.50,gbp,Year,Asha,Manager,asha@example.org\n",
			sources: []string{"line 2"}, bad: [][]string{nil},
			check: func(t *testing.T, rows []bulkimport.Row) {
				in := rows[0].Input
				if in.Slug != "my-slug" || in.OrganisationType != "council" || in.Region != "london" ||
					!slices.Equal(in.Outcomes, []string{"a", "b , c"}) || !slices.Equal(in.Lessons, []string{"l1", "l2"}) ||
					!slices.Equal(in.Tags, []string{"#Tag1", "tag2"}) || in.Published == nil || in.Published.Format("2006-01-02") != "2024-03-01" {
					t.Errorf("read %+v", in)
				}
				if s := in.Savings; s == nil || s.Amount != json.Number("125000.50") || s.Currency != "gbp" || s.Period != "Year" {
					t.Errorf("savings %+v", s)
				}
				if c := in.Contact; c == nil || c.Name != "Asha" || c.Email != "asha@example.org" {
					t.Errorf("contact %+v", c)
				}
			}},
		{name: "a missing title, bad savings and a bad date",
			csv: "title,summary,body,savings_amount,savings_currency,savings_period,published\n" +
				",S,B,,,,\nA,S,B,\"12,000\",pounds,annually,\nB,S,B,,,,yesterday\nC,S,B,0.5,EUR,,\n",
			sources: []string{"line 2", "line 3", "line 4", "line 5"},
			bad: [][]string{{"title"}, {"savings.amount", "savings.currency", "savings.period"}, {"published"},
				{"savings.period"}}},
		{name: "a row of the wrong length fails alone",
			csv:     head + "A,S\nB,S,B\n",
			sources: []string{"line 2", "line 3"}, bad: [][]string{{"the row has 2 cells; the header has 3"}, nil}},
		{name: "blank rows are skipped",
			csv:     head + ",,\n  , ,\nA,S,B\n\n",
			sources: []string{"line 4"}, bad: [][]string{nil}},
		{name: "text that is not UTF-8",
			csv:     head + "A,\xff,B\n",
			sources: []string{"line 2"}, bad: [][]string{{"summary"}}},
		{name: "an unknown header", csv: "title,summary,body,colour\nA,S,B,red\n", refused: `unknown column "colour"`},
		{name: "a header without title", csv: "summary,body\nS,B\n", refused: `no "title" column`},
		{name: "a column twice", csv: "title,summary,body,Title\nA,S,B,A\n", refused: `"title" twice`},
		{name: "a column without a name", csv: "title,summary,body,\nA,S,B,\n", refused: "column 4 has no name"},
		{name: "an empty file", csv: "", refused: "empty"},
		{name: "a broken quote", csv: head + "A,\"S,B\nC,S,B\n", refused: "quote"},
		{name: "a header only", csv: head},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := bulkimport.ReadCSV(strings.NewReader(tc.csv))
			if tc.refused != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refused) || rows != nil {
					t.Fatalf("ReadCSV = %d rows, %v; want refused with %q", len(rows), err, tc.refused)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var sources []string
			for i, r := range rows {
				sources = append(sources, r.Source)
				err := r.Err
				if err == nil {
					err = validate(r.Input)
				}
				if got := badFields(err); i < len(tc.bad) && !slices.Equal(got, tc.bad[i]) {
					t.Errorf("%s: bad %q, want %q (%v)", r.Source, got, tc.bad[i], err)
				}
			}
			if !slices.Equal(sources, tc.sources) {
				t.Errorf("rows from %q, want %q", sources, tc.sources)
			}
			if tc.check != nil && len(rows) > 0 {
				tc.check(t, rows)
			}
		})
	}
}
