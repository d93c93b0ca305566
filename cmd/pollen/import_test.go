package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/testrig"
)

// runPollen runs the pollen command in this process on the database db,
// with its data in dir, and returns what it printed on stdout and its
// error.
func runPollen(t testing.TB, db testrig.DB, dir string, args ...string) (string, error) {
	t.Helper()
	t.Setenv("POLLEN_CONFIG", "")
	t.Setenv("POLLEN_BASE_URL", "http://localhost:8080")
	t.Setenv("POLLEN_DATA_DIR", dir)
	t.Setenv("POLLEN_DATABASE_URL", db.DSN)
	var out bytes.Buffer
	root := newRoot(&out, io.Discard)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

// writeFiles writes name → text in dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

const importCSV = "title,summary,body,tags,savings_amount,savings_currency,savings_period,outcomes\r\n" +
	"Leisure trust,A leisure trust run by its staff.,\"Ten centres, **one** trust.\",leisure;mutual,125000,GBP,year,\"Kept ten centres\r\nLonger hours\"\r\n" +
	"Youth hubs,Youth services kept open.,We asked the young people first.,,,,,\r\n" +
	"Bad savings,Not imported.,Body,,\"12,000\",GBP,yearly,\r\n"

func TestImport(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		folder := filepath.Join(dir, "cases")
		if err := os.Mkdir(folder, 0o700); err != nil {
			t.Fatal(err)
		}
		libraries := "---\ntitle: Keeping the libraries open\nsummary: How a mutual kept five libraries open.\n" +
			"service_area: libraries\nstage: operating\nlessons: [Start early]\n---\n\nWe **did** it.\n"
		writeFiles(t, folder, map[string]string{
			"library-mutual.md": libraries,
			"care-co-op.md":     "---\ntitle: A care co-operative\nsummary: Home care owned by its carers.\n---\n\nHow.\n",
			"broken.md":         "title: no front matter\n",
			"notes.txt":         "not read",
		})
		csvFile := filepath.Join(dir, "cases.csv")
		writeFiles(t, dir, map[string]string{"cases.csv": importCSV})
		run := func(want string, fails bool, args ...string) string {
			t.Helper()
			out, err := runPollen(t, db, dir, args...)
			if (err != nil) != fails || !strings.Contains(out, want) {
				t.Fatalf("pollen %s = %v\n%s\nwant %q, failing: %v", strings.Join(args, " "), err, out, want, fails)
			}
			return out
		}

		// A dry run reads and checks everything and stores nothing.
		out := run("valid 2, failed 1", true, "import", "--dry-run", folder)
		if !strings.Contains(out, "broken.md: the file must start with YAML front matter") {
			t.Errorf("dry run's report:\n%s", out)
		}
		run("valid 2, failed 1", true, "import", "--dry-run", csvFile)
		store := testrig.Store(t, db)
		count := func() (published, drafts int64) {
			t.Helper()
			published, drafts, err := store.CaseStudies.CountLocal(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return published, drafts
		}
		if p, d := count(); p+d != 0 {
			t.Fatalf("a dry run stored %d case studies and %d drafts", p, d)
		}

		// The folder: the bad file is reported, the others land.
		run("published 2, updated 0, unchanged 0, drafts 0, failed 1", true, "import", folder)
		inbox := testrig.AddFollower(t, store, "pollen", "peer.example")
		pending := func() int64 {
			t.Helper()
			c, err := store.Deliveries.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return c.Pending
		}
		audited := func() int64 {
			t.Helper()
			_, total, err := store.Audit.List(ctx, 1, 0)
			if err != nil {
				t.Fatal(err)
			}
			return total
		}

		// The CSV: the bad row is reported by its line with its fields,
		// nothing of it is stored, the others land and are sent.
		out = run("published 2, updated 0, unchanged 0, drafts 0, failed 1", true, "import", csvFile)
		if !strings.Contains(out, "line 5: some fields are not valid:\n  savings.amount must be a decimal number") ||
			!strings.Contains(out, "\n  savings.period must be one of") {
			t.Errorf("report:\n%s", out)
		}
		if _, err := store.CaseStudies.AnyBySlug(ctx, "bad-savings"); err == nil {
			t.Error("the bad row was stored")
		}
		if v, err := store.CaseStudies.AnyBySlug(ctx, "leisure-trust"); err != nil || len(v.Outcomes) != 2 || len(v.Tags) != 2 || v.SavingsAmount != "125000" {
			t.Errorf("leisure-trust = %+v, %v", v, err)
		}
		if p, d := count(); p != 4 || d != 0 {
			t.Errorf("stored %d published and %d drafts; want 4 and 0", p, d)
		}
		if n := pending(); n != 2 {
			t.Errorf("%d deliveries to %s queued; want the 2 Creates", n, inbox)
		}

		// Again: unchanged, nothing sent, nothing audited.
		deliveries, entries := pending(), audited()
		run("published 0, updated 0, unchanged 2, drafts 0, failed 1", true, "import", folder)
		run("published 0, updated 0, unchanged 2, drafts 0, failed 1", true, "import", csvFile)
		if n, a := pending(), audited(); n != deliveries || a != entries {
			t.Errorf("importing unchanged rows queued %d deliveries and wrote %d audit entries", n-deliveries, a-entries)
		}

		// One file changed: one Update.
		writeFiles(t, folder, map[string]string{
			"library-mutual.md": strings.Replace(libraries, "open.\n", "open, and two more.\n", 1),
			"broken.md":         "---\ntitle: Fixed\nsummary: Now it reads.\n---\nBody.\n",
		})
		run("published 1, updated 1, unchanged 1, drafts 0, failed 0", false, "import", folder)
		if n := pending(); n != deliveries+2 {
			t.Errorf("%d deliveries queued; want the Update and the Create", n-deliveries)
		}

		// --draft: saved, neither public nor sent.
		writeFiles(t, dir, map[string]string{"drafts.csv": "Title,Summary,Body,Slug\nIn draft,Not yet.,Later.,in-draft\n"})
		deliveries = pending()
		run("published 0, updated 0, unchanged 0, drafts 1, failed 0", false, "import", "--draft", filepath.Join(dir, "drafts.csv"))
		if p, d := count(); p != 5 || d != 1 || pending() != deliveries {
			t.Errorf("after --draft: %d published, %d drafts, %d deliveries queued", p, d, pending()-deliveries)
		}

		// A header it does not know: refused before anything is read.
		writeFiles(t, dir, map[string]string{"odd.csv": "title,summary,body,colour\nOdd,S,B,red\n"})
		if _, err := runPollen(t, db, dir, "import", filepath.Join(dir, "odd.csv")); err == nil || !strings.Contains(err.Error(), `unknown column "colour"`) {
			t.Errorf("unknown header: %v", err)
		}
		if _, err := store.CaseStudies.AnyBySlug(ctx, "odd"); err == nil {
			t.Error("a row of a refused file was stored")
		}
	})
}

// BenchmarkImportCSV imports 10,000 generated CSV rows into a fresh node
// on SQLite (see docs/benchmarks.md, "Bulk import").
func BenchmarkImportCSV(b *testing.B) {
	const rows = 10000
	dir := b.TempDir()
	var csv strings.Builder
	csv.WriteString("title,summary,body,service_area,stage,outcomes,lessons,tags,savings_amount,savings_currency,savings_period,contact_name,contact_email\n")
	for i := range rows {
		fmt.Fprintf(&csv, "Case study %d,How service %d was spun out and kept going.,\"## What we did\n\nWe **asked** the staff of service %d first, then the council.\n\n- a mutual\n- a contract\",", i, i, i)
		fmt.Fprintf(&csv, "libraries,operating,\"Kept %d libraries open\nLonger hours\",Start early;Ask the staff,libraries;mutual%d,%d.50,GBP,year,Asha %d,asha%d@example.org\n", i%10, i, 1000+i, i, i)
	}
	file := filepath.Join(dir, "cases.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		db, data := testrig.SQLite(b), b.TempDir()
		// The node's keys and schema, made before the clock starts.
		if _, err := runPollen(b, db, data, "queue"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		out, err := runPollen(b, db, data, "import", file)
		elapsed += time.Since(start)
		if err != nil || !strings.Contains(out, fmt.Sprintf("published %d,", rows)) {
			b.Fatalf("import: %v\n%s", err, out)
		}
	}
	b.ReportMetric(float64(rows*b.N)/elapsed.Seconds(), "rows/s")
}
