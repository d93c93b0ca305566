package main

import (
	"context"
	"io"
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/pollen-coop/pollen/cmd/pollen-load/corpus"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/testrig"
)

// TestSeedSearch fills a store with a small corpus and checks that a
// search for each of some case studies' rare words, filtered by their
// region and service area, finds exactly the case studies the generator
// gave that word, with the facet counts worked out from the corpus; and
// that a second run keeps the corpus.
func TestSeedSearch(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		store := testrig.Store(t, db)
		o := options{caseStudies: 200, organisations: 20}
		seeded, err := seedSearch(ctx, o, store, io.Discard)
		if err != nil || !seeded {
			t.Fatalf("seedSearch = %v, %v", seeded, err)
		}
		if again, err := seedSearch(ctx, o, store, io.Discard); err != nil || again {
			t.Fatalf("seedSearch again = %v, %v; want the corpus kept", again, err)
		}
		cases := make([]models.CaseStudy, o.caseStudies)
		topics := make([][corpus.Topics]string, o.caseStudies)
		for i := range cases {
			cases[i], topics[i] = corpus.CaseStudy(i, corpus.OrganisationAt(corpus.Author(i, o.organisations)), 0)
		}
		for _, tc := range []struct {
			name    string
			word    func(i int) string
			filters func(c models.CaseStudy) map[string][]string
		}{
			{"word", func(i int) string { return topics[i][0] }, func(models.CaseStudy) map[string][]string { return nil }},
			{"word and two filters", func(i int) string { return topics[i][3] }, func(c models.CaseStudy) map[string][]string {
				return map[string][]string{"region": {c.Region}, "service_area": {c.ServiceArea}}
			}},
			// Without words: every case study, counted as they were written,
			// or those of a region and a service area.
			{"no words", func(int) string { return "" }, func(models.CaseStudy) map[string][]string { return nil }},
			{"no words, two filters", func(int) string { return "" }, func(c models.CaseStudy) map[string][]string {
				return map[string][]string{"region": {c.Region}, "service_area": {c.ServiceArea}}
			}},
		} {
			for i := 0; i < 40; i += 7 {
				word, filters := tc.word(i), tc.filters(cases[i])
				text, err := service.ParseSearch(word)
				if err != nil {
					t.Fatal(err)
				}
				got, err := store.CaseStudies.Search(ctx, models.CaseStudySearch{Text: text, Filters: filters, WithFacets: true, Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				want := expectedCounts(cases, topics, word, filters)
				if got.Total != want["#total"]["#total"] {
					t.Errorf("%s %q %v: total %d, want %d", tc.name, word, filters, got.Total, want["#total"]["#total"])
				}
				for _, facet := range []string{"region", "service_area", "stage", "year"} {
					gotCounts := map[string]int64{}
					for _, fc := range got.Facets[facet] {
						gotCounts[fc.Value] = fc.Count
					}
					if !maps.Equal(gotCounts, want[facet]) && (len(gotCounts) > 0 || len(want[facet]) > 0) {
						t.Errorf("%s %q %v: %s counts %v, want %v", tc.name, word, filters, facet, gotCounts, want[facet])
					}
				}
			}
		}
	})
}

// expectedCounts are the total ("#total") and the counts of some facets
// among the case studies of the corpus holding word, each facet
// ignoring its own filter.
func expectedCounts(corpusCases []models.CaseStudy, topics [][corpus.Topics]string, word string, filters map[string][]string) map[string]map[string]int64 {
	values := func(c models.CaseStudy) map[string]string {
		return map[string]string{"region": c.Region, "service_area": c.ServiceArea, "stage": c.Stage,
			"year": strconv.Itoa(c.Published.Year())}
	}
	out := map[string]map[string]int64{"#total": {}}
	for i, c := range corpusCases {
		if word != "" && !slices.Contains(topics[i][:], word) {
			continue
		}
		v := values(c)
		passes := func(except string) bool {
			for f, want := range filters {
				if f != except && !slices.Contains(want, v[f]) {
					return false
				}
			}
			return true
		}
		if passes("") {
			out["#total"]["#total"]++
		}
		for f, val := range v {
			if passes(f) {
				if out[f] == nil {
					out[f] = map[string]int64{}
				}
				out[f][val]++
			}
		}
	}
	return out
}
