package models_test

import (
	"context"
	"fmt"
	"html"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/models/ftsquery"
	"github.com/pollen-coop/pollen/testrig"
)

// searchFixture stores case studies by two organisations for the search
// tests: what each differs by is named in its slug.
func searchFixture(t *testing.T, db testrig.DB) *models.Store {
	t.Helper()
	ctx := context.Background()
	s, a := storeWithActor(t, db)
	b := newActor("https://b.example/actors/org", false)
	b.Name = "Bolton Leisure Trust"
	if err := s.Actors.Create(ctx, &b); err != nil {
		t.Fatalf("create actor: %v", err)
	}
	for i, f := range []struct {
		slug, title, body, region, area string
		author                          int64
		savings                         string
		lessons                         []string
		year                            int
	}{
		{"ecole", "Ecole de musique", "A music school run by its staff.", "London", "education", a.ID, "5000", nil, 2023},
		{"mutual-title", "Library mutual spins out", "The service left the council.", "North West", "libraries", a.ID, "90000", nil, 2024},
		{"mutual-body", "A community library", "Run by mutuals of staff and users.", "North West", "libraries", b.ID, "", nil, 2024},
		{"museum", "Museum trust", "A museum became a trust.", "North West", "culture", b.ID, "20000", []string{"Start the staff consultation early"}, 2025},
		{"script", "<script>alert(1)</script> Leisure", "Leisure centres became a mutual.", "Yorkshire", "leisure", b.ID, "1000", nil, 2025},
	} {
		c := newCaseStudy(f.author, f.slug, i)
		c.Local = f.author == a.ID
		c.Title, c.Body, c.Summary, c.Region, c.ServiceArea = f.title, f.body, "", f.region, f.area
		c.Content = "<p>" + html.EscapeString(f.body) + "</p>"
		c.SavingsAmount, c.Lessons, c.Tags, c.Outcomes = f.savings, f.lessons, models.StringList{f.area}, nil
		c.Published = time.Date(f.year, 6, 1, 0, 0, i, 0, time.UTC)
		if err := s.CaseStudies.Create(ctx, &c); err != nil {
			t.Fatalf("create %s: %v", f.slug, err)
		}
	}
	return s
}

func search(t *testing.T, s *models.Store, text string, q models.CaseStudySearch) models.SearchResults {
	t.Helper()
	parsed, err := ftsquery.Parse(text)
	if err != nil {
		t.Fatalf("parse %q: %v", text, err)
	}
	q.Text = parsed
	res, err := s.CaseStudies.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %q: %v", text, err)
	}
	return res
}

func hitSlugs(res models.SearchResults) []string {
	out := []string{}
	for _, h := range res.Hits {
		out = append(out, slugOf(h.CaseStudy))
	}
	return out
}

func TestSearchText(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		s := searchFixture(t, db)
		for _, tt := range []struct {
			name, text string
			want       []string
			sorted     bool // in relevance order, not only the set
		}{
			{"accents and case folded", "ÉCOLE", []string{"ecole"}, false},
			{"stemming", "mutuals", []string{"mutual-title", "script", "mutual-body"}, true},
			{"phrase", `"staff consultation"`, []string{"museum"}, false},
			{"phrase in order only", `"consultation staff"`, []string{}, false},
			{"or", "museum OR musique", []string{"ecole", "museum"}, false},
			// mutual-body is by Bolton Leisure Trust.
			{"exclusion", "mutual -leisure", []string{"mutual-title"}, false},
			{"prefix", "muse*", []string{"museum"}, false},
			{"organisation name", "bolton", []string{"museum", "mutual-body", "script"}, false},
			{"tags", "culture", []string{"museum"}, false},
			{"no match", "zebra", []string{}, false},
		} {
			t.Run(tt.name, func(t *testing.T) {
				got := hitSlugs(search(t, s, tt.text, models.CaseStudySearch{}))
				if !tt.sorted {
					slices.Sort(got)
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("search %q = %v, want %v", tt.text, got, tt.want)
				}
			})
		}
	})
}

func TestSearchFiltersAndFacets(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		s := searchFixture(t, db)
		res := search(t, s, "", models.CaseStudySearch{WithFacets: true,
			Filters: map[string][]string{"region": {"north west"}, "service_area": {"libraries", "culture"}}})
		if got := hitSlugs(res); !slices.Equal(got, []string{"museum", "mutual-body", "mutual-title"}) || res.Total != 3 {
			t.Errorf("filtered = %v (%d)", got, res.Total)
		}
		want := map[string][]models.FacetCount{
			// Each facet ignores its own filter.
			"region":       {{Value: "North West", Count: 3}},
			"service_area": {{Value: "libraries", Count: 2}, {Value: "culture", Count: 1}},
			"organisation": {{Value: "Bolton Leisure Trust", Count: 2}},
			"year":         {{Value: "2024", Count: 2}, {Value: "2025", Count: 1}},
			"tag":          {{Value: "libraries", Count: 2}, {Value: "culture", Count: 1}},
		}
		for f, w := range want {
			got := res.Facets[f]
			if f == "organisation" {
				got = slices.DeleteFunc(slices.Clone(got), func(c models.FacetCount) bool { return c.Value != "Bolton Leisure Trust" })
			}
			if !slices.Equal(got, w) {
				t.Errorf("facet %s = %v, want %v", f, got, w)
			}
		}
		// Without its own filter, region counts every region of the areas.
		res = search(t, s, "", models.CaseStudySearch{WithFacets: true, Filters: map[string][]string{"region": {"London"}}})
		if got := res.Facets["region"]; len(got) != 3 || got[0] != (models.FacetCount{Value: "North West", Count: 3}) {
			t.Errorf("region facet with a region filter = %v", got)
		}
		if got := res.Facets["service_area"]; !slices.Equal(got, []models.FacetCount{{Value: "education", Count: 1}}) {
			t.Errorf("service area facet of London = %v", got)
		}

		for _, tt := range []struct {
			name string
			q    models.CaseStudySearch
			want []string
		}{
			{"unknown value", models.CaseStudySearch{Filters: map[string][]string{"region": {"Atlantis"}}}, []string{}},
			{"year", models.CaseStudySearch{Filters: map[string][]string{"year": {"2023", "2025"}}}, []string{"ecole", "museum", "script"}},
			{"bad year", models.CaseStudySearch{Filters: map[string][]string{"year": {"20x3"}}}, []string{}},
			{"tag by its key", models.CaseStudySearch{Filters: map[string][]string{"tag": {"#Culture"}}}, []string{"museum"}},
			{"organisation", models.CaseStudySearch{Filters: map[string][]string{"organisation": {"bolton leisure trust"}}}, []string{"museum", "mutual-body", "script"}},
			{"savings", models.CaseStudySearch{SavingsMin: 5000, SavingsCurrency: "gbp", SavingsPeriod: "year"}, []string{"ecole", "museum", "mutual-title"}},
			{"savings in another currency", models.CaseStudySearch{SavingsMin: 1, SavingsCurrency: "EUR", SavingsPeriod: "year"}, []string{}},
			{"dates", models.CaseStudySearch{PublishedAfter: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), PublishedBefore: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}, []string{"mutual-body", "mutual-title"}},
			{"page past the end", models.CaseStudySearch{Offset: 50}, []string{}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				got := hitSlugs(search(t, s, "", tt.q))
				slices.Sort(got)
				if !slices.Equal(got, tt.want) {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			})
		}
		if got := hitSlugs(search(t, s, "", models.CaseStudySearch{Sort: models.SortSavings})); !slices.Equal(got, []string{"mutual-title", "museum", "ecole", "script", "mutual-body"}) {
			t.Errorf("by savings = %v", got)
		}
	})
}

func TestSearchSnippetAndIndex(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := searchFixture(t, db)
		res := search(t, s, "leisure", models.CaseStudySearch{})
		if len(res.Hits) == 0 {
			t.Fatal("leisure finds nothing")
		}
		for _, h := range res.Hits {
			if strings.Contains(h.Snippet, "<script") || !strings.Contains(h.Snippet, "<mark>") {
				t.Errorf("snippet of %s = %q", slugOf(h.CaseStudy), h.Snippet)
			}
		}
		// PostgreSQL's parser leaves out what looks like a tag; SQLite's
		// shows it, escaped.
		if got := search(t, s, "alert", models.CaseStudySearch{}).Hits; db.Name == "sqlite" &&
			(len(got) != 1 || !strings.Contains(got[0].Snippet, "&lt;script&gt;<mark>alert</mark>")) {
			t.Errorf("alert = %+v", got)
		}

		// The index follows edits, deletions and the author's name.
		c, err := s.CaseStudies.BySlug(ctx, "ecole")
		if err != nil {
			t.Fatal(err)
		}
		c.Title = "Orchestra"
		if err := s.CaseStudies.Save(ctx, &c); err != nil {
			t.Fatal(err)
		}
		if got := hitSlugs(search(t, s, "ecole", models.CaseStudySearch{})); len(got) != 0 {
			t.Errorf("old title still found: %v", got)
		}
		if got := hitSlugs(search(t, s, "orchestra", models.CaseStudySearch{})); !slices.Equal(got, []string{"ecole"}) {
			t.Errorf("new title = %v", got)
		}
		if err := s.CaseStudies.Delete(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if got := hitSlugs(search(t, s, "orchestra", models.CaseStudySearch{})); len(got) != 0 {
			t.Errorf("deleted still found: %v", got)
		}
		b, err := s.Actors.ByIRI(ctx, "https://b.example/actors/org")
		if err != nil {
			t.Fatal(err)
		}
		b.Name = "Wigan Culture"
		if err := s.Actors.Save(ctx, &b); err != nil {
			t.Fatal(err)
		}
		if got := hitSlugs(search(t, s, "wigan", models.CaseStudySearch{})); len(got) != 3 {
			t.Errorf("renamed organisation finds %v", got)
		}
		if err := s.Actors.DeleteContentOf(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		if got := hitSlugs(search(t, s, "wigan OR museum", models.CaseStudySearch{})); len(got) != 0 {
			t.Errorf("deleted actor's content still found: %v", got)
		}
	})
}

// TestSearchIndexFilledByItsMigration: step009 indexes the case studies
// a database already holds, live ones only, with their authors' names.
func TestSearchIndexFilledByItsMigration(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		s := searchFixture(t, db)
		c, err := s.CaseStudies.BySlug(context.Background(), "mutual-title")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CaseStudies.Delete(context.Background(), c.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.RedoSearchIndex(); err != nil {
			t.Fatalf("step009 again: %v", err)
		}
		got := hitSlugs(search(t, s, "mutuals OR bolton", models.CaseStudySearch{}))
		slices.Sort(got)
		if !slices.Equal(got, []string{"museum", "mutual-body", "script"}) {
			t.Errorf("after step009: %v", got)
		}
	})
}

// TestSearchOddText: whatever Parse accepts, both databases search
// without an error.
func TestSearchOddText(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		s := searchFixture(t, db)
		for _, text := range []string{"ª", "ǅ OR ß*", "x\u200dy", "٣٤ -ª", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢*", "the OR a -of", `"the of" mutual`, "中文 検索*", "e\u0301cole",
			"NEAR AND NOT", "a:b c^d", strings.Repeat("ab", 240)} {
			if _, err := ftsquery.Parse(text); err != nil {
				continue
			}
			search(t, s, text, models.CaseStudySearch{WithFacets: true, Sort: models.SortRelevance})
		}
	})
}

// TestSearchSnippetIsText: a snippet shows the text of a case study's
// body, not its Markdown, once it is saved and after step011 refills an
// index of Markdown.
func TestSearchSnippetIsText(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s, a := storeWithActor(t, db)
		c := newCaseStudy(a.ID, "markdown", 0)
		c.Body = "The **staff mutual** runs [the libraries](https://a.example/l) &amp; more."
		c.Content = `<p>The <strong>staff mutual</strong> runs <a href="https://a.example/l">the libraries</a> &amp; more.</p>`
		if err := s.CaseStudies.Create(ctx, &c); err != nil {
			t.Fatal(err)
		}
		check := func(when string) {
			t.Helper()
			res := search(t, s, "libraries runs", models.CaseStudySearch{})
			if len(res.Hits) != 1 {
				t.Fatalf("%s: %d hits", when, len(res.Hits))
			}
			snip := res.Hits[0].Snippet
			for _, bad := range []string{"**", "](", "https://", "&amp;amp;"} {
				if strings.Contains(snip, bad) {
					t.Errorf("%s: snippet %q shows %q", when, snip, bad)
				}
			}
			if !strings.Contains(snip, "<mark>runs</mark>") || !strings.Contains(snip, "&amp; more") {
				t.Errorf("%s: snippet = %q", when, snip)
			}
		}
		check("saved")
		if err := s.SetIndexedBody(c.ID, c.Body); err != nil {
			t.Fatal(err)
		}
		if err := s.RunStep(11); err != nil {
			t.Fatalf("step011: %v", err)
		}
		check("after step011")
	})
}

// TestOptimizeSearch: after a bulk load in several batches, OptimizeSearch
// leaves SQLite's full-text index in one segment, and every search finds
// what it found before, on both databases.
func TestOptimizeSearch(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s, a := storeWithActor(t, db)
		for batch := range 4 {
			var b models.StatusBatch
			for i := range 5 {
				c := newCaseStudy(a.ID, fmt.Sprintf("bulk-%d-%d", batch, i), batch*5+i)
				c.Title = "Library mutual " + []string{"alpha", "beta", "gamma", "delta"}[batch]
				b.CaseStudies = append(b.CaseStudies, c)
			}
			if err := s.CreateStatuses(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		search := func() (got [3]int64) {
			for i, words := range []string{"library", "mutual beta", `"library mutual" -gamma`} {
				q, err := ftsquery.Parse(words)
				if err != nil {
					t.Fatal(err)
				}
				res, err := s.CaseStudies.Search(ctx, models.CaseStudySearch{Text: q, WithFacets: true})
				if err != nil {
					t.Fatal(err)
				}
				got[i] = res.Total
			}
			return got
		}
		before := search()
		if before != [3]int64{20, 5, 15} {
			t.Fatalf("before: found %v, want [20 5 15]", before)
		}
		if err := s.CaseStudies.OptimizeSearch(ctx); err != nil {
			t.Fatal(err)
		}
		if after := search(); after != before {
			t.Errorf("after: found %v, want %v", after, before)
		}
		if n, err := s.SearchSegments(); err != nil || (db.Name == "sqlite" && n != 1) {
			t.Errorf("segments after optimize: %d, %v; want 1", n, err)
		}
	})
}
