package bulkimport_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/service/bulkimport"
)

// FuzzReadCSV: any bytes are read, or refused whole, without a panic;
// each row comes from a line after the header, in order, and is either
// read or failed with its reason; what is read survives validation.
func FuzzReadCSV(f *testing.F) {
	for _, seed := range []string{
		"title,summary,body\nA,S,B\n",
		"\ufefftitle,summary,body,tags,outcomes\r\n\"A, b\",\"S \"\"q\"\"\",\"B\r\nC\",x;y,\"1\n2\"\r\n",
		"title,summary,body,savings_amount,savings_currency,savings_period,published\nA,S,B,1e3,GBP,year,2024-02-30\n",
		"title,summary,body\nA,S\n,,\n\"open",
		"title,colour\n",
		"",
		"title,summary,body,contact_name,contact_email\nA,S,B,,x@\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := bulkimport.ReadCSV(strings.NewReader(string(data)))
		if err != nil {
			if rows != nil {
				t.Fatalf("refused with %v but %d rows", err, len(rows))
			}
			return
		}
		last := 1
		for _, r := range rows {
			line, err := strconv.Atoi(strings.TrimPrefix(r.Source, "line "))
			if err != nil || line <= last {
				t.Fatalf("row from %q after line %d", r.Source, last)
			}
			last = line
			if r.Err == nil {
				_ = validate(r.Input)
			} else if r.Err.Error() == "" {
				t.Fatalf("%s failed without a reason", r.Source)
			}
		}
	})
}

// FuzzReadMarkdown: any file is read or failed with its reason, without
// a panic; one that is read has a slug.
func FuzzReadMarkdown(f *testing.F) {
	for _, seed := range []string{
		"---\ntitle: A\nsummary: S\n---\n\nBody\n",
		"\ufeff---\r\ntitle: A\r\ntags: [a, b]\r\nsavings: {amount: 12, currency: GBP, period: year}\r\n---\r\nB",
		"---\ntitle: [\n---\n",
		"no front matter",
		"---\nslug: Bad Slug\nunknown: 1\n---\n",
	} {
		f.Add("case-study.md", []byte(seed))
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		r := bulkimport.ReadMarkdown(name, data)
		switch {
		case r.Source != name:
			t.Fatalf("source %q, want %q", r.Source, name)
		case r.Err != nil && r.Err.Error() == "":
			t.Fatal("failed without a reason")
		case r.Err == nil && r.Input.Slug == "":
			t.Fatal("read without a slug")
		case r.Err == nil:
			_ = validate(r.Input)
		}
	})
}
