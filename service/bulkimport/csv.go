package bulkimport

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/service"
)

// Columns are the names a CSV file's header row may give its columns: the
// API's JSON names, with savings and contact flattened. A list column
// (outcomes, lessons, tags) holds one item per line of its cell, or,
// in a cell without a line break, items separated by ";".
var Columns = []string{
	"title", "summary", "body", "organisation_type", "service_area", "region", "stage",
	"outcomes", "lessons", "tags", "ownership_model", "slug", "published",
	"savings_amount", "savings_currency", "savings_period", "contact_name", "contact_role", "contact_email",
}

// requiredColumns are the columns without which no row could be valid.
var requiredColumns = []string{"title", "summary", "body"}

// setters write a cell into the input, per column.
var setters = map[string]func(in *service.CaseStudyInput, v string){
	"title":             func(in *service.CaseStudyInput, v string) { in.Title = v },
	"summary":           func(in *service.CaseStudyInput, v string) { in.Summary = v },
	"body":              func(in *service.CaseStudyInput, v string) { in.Body = v },
	"organisation_type": func(in *service.CaseStudyInput, v string) { in.OrganisationType = v },
	"service_area":      func(in *service.CaseStudyInput, v string) { in.ServiceArea = v },
	"region":            func(in *service.CaseStudyInput, v string) { in.Region = v },
	"stage":             func(in *service.CaseStudyInput, v string) { in.Stage = v },
	"outcomes":          func(in *service.CaseStudyInput, v string) { in.Outcomes = splitList(v) },
	"lessons":           func(in *service.CaseStudyInput, v string) { in.Lessons = splitList(v) },
	"tags":              func(in *service.CaseStudyInput, v string) { in.Tags = splitList(v) },
	"ownership_model":   func(in *service.CaseStudyInput, v string) { in.OwnershipModel = v },
	"slug":              func(in *service.CaseStudyInput, v string) { in.Slug = strings.TrimSpace(v) },
	"savings_amount":    func(in *service.CaseStudyInput, v string) { savings(in).Amount = json.Number(strings.TrimSpace(v)) },
	"savings_currency":  func(in *service.CaseStudyInput, v string) { savings(in).Currency = v },
	"savings_period":    func(in *service.CaseStudyInput, v string) { savings(in).Period = v },
	"contact_name":      func(in *service.CaseStudyInput, v string) { contact(in).Name = v },
	"contact_role":      func(in *service.CaseStudyInput, v string) { contact(in).Role = v },
	"contact_email":     func(in *service.CaseStudyInput, v string) { contact(in).Email = v },
}

// ReadCSV reads a CSV file (RFC 4180: comma-separated, cells with commas,
// quotes or line breaks in double quotes; a UTF-8 byte order mark and
// CRLF line ends are accepted) whose first row names its columns (see
// Columns; in any case, in any order, each at most once; title, summary
// and body are required). A row whose cells are all empty is skipped. It
// refuses the whole file, returning no rows, for a header it does not
// know or a file that is not CSV; a row it cannot read (a cell count that
// is not the header's, a date that is not one, text that is not UTF-8) is
// a row with its Err.
func ReadCSV(r io.Reader) ([]Row, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty: its first row must name the columns")
	}
	if err != nil {
		return nil, err
	}
	columns, err := readHeader(header)
	if err != nil {
		return nil, err
	}
	var rows []Row
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount):
			rows = append(rows, Row{Source: fmt.Sprintf("line %d", pe.StartLine), Err: apperr.Errorf(apperr.Invalid,
				"the row has %d cells; the header has %d", len(record), len(columns))})
			continue
		case err != nil:
			return nil, err
		case blank(record):
			continue
		}
		line, _ := cr.FieldPos(0)
		in, err := readRecord(columns, record)
		rows = append(rows, Row{Source: fmt.Sprintf("line %d", line), Input: in, Err: err})
	}
}

// readHeader checks a header row and returns its column names.
func readHeader(header []string) ([]string, error) {
	columns := make([]string, len(header))
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch {
		case name == "":
			return nil, fmt.Errorf("the header's column %d has no name", i+1)
		case !slices.Contains(Columns, name):
			return nil, fmt.Errorf("the header names an unknown column %q: the columns are %s", h, strings.Join(Columns, ", "))
		case slices.Contains(columns[:i], name):
			return nil, fmt.Errorf("the header names the column %q twice", name)
		}
		columns[i] = name
	}
	for _, name := range requiredColumns {
		if !slices.Contains(columns, name) {
			return nil, fmt.Errorf("the header has no %q column: %s are required", name, strings.Join(requiredColumns, ", "))
		}
	}
	return columns, nil
}

// readRecord makes the input of one row. Its error is a 422 naming each
// cell it could not read.
func readRecord(columns, record []string) (service.CaseStudyInput, error) {
	var in service.CaseStudyInput
	bad := map[string]string{}
	for i, name := range columns {
		v := record[i]
		switch {
		case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
			bad[name] = "is not UTF-8 text"
		case name == "published":
			if t, ok := readTime(v); ok {
				in.Published = t
			} else {
				bad[name] = "must be a date such as 2024-03-01, or a time such as 2024-03-01T09:30:00Z"
			}
		default:
			setters[name](&in, v)
		}
	}
	if len(bad) > 0 {
		return in, apperr.InvalidFields(bad)
	}
	return in, nil
}

// readTime reads a publication date: empty (none), a date, or an RFC 3339
// time.
func readTime(v string) (*time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, true
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339} {
		if t, err := time.Parse(layout, v); err == nil {
			return &t, true
		}
	}
	return nil, false
}

// splitList splits a list cell: one item per line, or, without a line
// break, items separated by ";". Items are trimmed; empty ones dropped.
func splitList(v string) []string {
	sep := ";"
	if strings.ContainsAny(v, "\r\n") {
		sep = "\n"
	}
	var items []string
	for _, item := range strings.Split(v, sep) {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}

func savings(in *service.CaseStudyInput) *service.Savings {
	if in.Savings == nil {
		in.Savings = &service.Savings{}
	}
	return in.Savings
}

func contact(in *service.CaseStudyInput) *service.Contact {
	if in.Contact == nil {
		in.Contact = &service.Contact{}
	}
	return in.Contact
}

// blank reports whether every cell of record is empty or spaces, as the
// rows a spreadsheet adds below its data.
func blank(record []string) bool {
	for _, v := range record {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}
