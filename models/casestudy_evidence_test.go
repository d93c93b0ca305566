package models_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/models/casesearch"
	"github.com/pollen-coop/pollen/models/ftsquery"
	"github.com/pollen-coop/pollen/testrig"
)

// evidenceFixture stores case studies with savings in two currencies
// and two periods, outcomes and lessons said in several ways, and a
// draft and a deleted one that no sum counts.
func evidenceFixture(t *testing.T, db testrig.DB) *models.Store {
	t.Helper()
	ctx := context.Background()
	s, a := storeWithActor(t, db)
	for i, f := range []struct {
		slug, area, region, stage, amount, currency, period string
		outcomes, lessons                                   []string
		draft, deleted                                      bool
	}{
		{"a", "libraries", "North West", "operating", "1000", "GBP", "year", []string{"Lower costs", "More volunteers"}, []string{"Start early"}, false, false},
		{"b", "libraries", "North West", "operating", "2500.50", "gbp", "Year", []string{" lower costs "}, []string{"start early", "Ask staff"}, false, false},
		{"c", "libraries", "London", "planning", "300", "EUR", "year", []string{"LOWER COSTS", "lower costs"}, nil, false, false},
		{"d", "culture", "London", "operating", "50", "GBP", "month", nil, []string{"Ask staff"}, false, false},
		{"e", "culture", "Yorkshire", "", "", "", "", []string{""}, nil, false, false},
		{"draft", "libraries", "North West", "operating", "9999", "GBP", "year", []string{"Lower costs"}, nil, true, false},
		{"gone", "libraries", "North West", "operating", "9999", "GBP", "year", []string{"Lower costs"}, nil, false, true},
	} {
		c := newCaseStudy(a.ID, f.slug, i)
		c.ServiceArea, c.Region, c.Stage, c.Draft = f.area, f.region, f.stage, f.draft
		c.SavingsAmount, c.SavingsCurrency, c.SavingsPeriod = f.amount, f.currency, f.period
		c.Outcomes, c.Lessons, c.Tags = f.outcomes, f.lessons, models.StringList{f.area}
		if err := s.CaseStudies.Create(ctx, &c); err != nil {
			t.Fatalf("create %s: %v", f.slug, err)
		}
		if f.deleted {
			if err := s.CaseStudies.Delete(ctx, c.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	return s
}

func TestEvidence(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		s := evidenceFixture(t, db)
		ev, err := s.CaseStudies.Evidence(context.Background(), models.CaseStudySearch{})
		if err != nil {
			t.Fatal(err)
		}
		if ev.Total != 5 {
			t.Errorf("total = %d", ev.Total)
		}
		// Per currency and period, never across them.
		wantSavings := []casesearch.SavingsTotal{
			{Currency: "GBP", Period: "year", Amount: 3500.5, Count: 2},
			{Currency: "EUR", Period: "year", Amount: 300, Count: 1},
			{Currency: "GBP", Period: "month", Amount: 50, Count: 1},
		}
		if !slices.Equal(ev.Savings, wantSavings) {
			t.Errorf("savings = %+v", ev.Savings)
		}
		if len(ev.ServiceAreas) != 2 || ev.ServiceAreas[0].Value != "libraries" || ev.ServiceAreas[0].Count != 3 ||
			!slices.Equal(ev.ServiceAreas[0].Savings, wantSavings[:2]) ||
			ev.ServiceAreas[1].Value != "culture" || ev.ServiceAreas[1].Count != 2 ||
			!slices.Equal(ev.ServiceAreas[1].Savings, wantSavings[2:]) {
			t.Errorf("service areas = %+v", ev.ServiceAreas)
		}
		if got := ev.Regions; len(got) != 3 || got[0].Value != "London" || got[0].Count != 2 || len(got[0].Savings) != 2 ||
			got[2].Value != "Yorkshire" || len(got[2].Savings) != 0 {
			t.Errorf("regions = %+v", got)
		}
		if want := []models.FacetCount{{Value: "operating", Count: 3}, {Value: "planning", Count: 1}}; !slices.Equal(ev.Stages, want) {
			t.Errorf("stages = %+v", ev.Stages)
		}
		// A case study saying the same outcome twice counts once.
		if len(ev.Outcomes) != 2 || ev.Outcomes[0].Count != 3 || !equalFold(ev.Outcomes[0].Value, "lower costs") ||
			ev.Outcomes[1] != (models.FacetCount{Value: "More volunteers", Count: 1}) {
			t.Errorf("outcomes = %+v", ev.Outcomes)
		}
		if len(ev.Lessons) != 2 || ev.Lessons[0].Count != 2 || ev.Lessons[1].Count != 2 {
			t.Errorf("lessons = %+v", ev.Lessons)
		}

		// The filters and the text of a search narrow every sum.
		text, err := ftsquery.Parse("case")
		if err != nil {
			t.Fatal(err)
		}
		ev, err = s.CaseStudies.Evidence(context.Background(), models.CaseStudySearch{Text: text,
			Filters: map[string][]string{"region": {"london"}, "tag": {"#Libraries"}}})
		if err != nil {
			t.Fatal(err)
		}
		if ev.Total != 1 || len(ev.ServiceAreas) != 1 || !slices.Equal(ev.Savings, wantSavings[1:2]) ||
			len(ev.Outcomes) != 1 || ev.Outcomes[0].Count != 1 || len(ev.Lessons) != 0 {
			t.Errorf("filtered = %+v", ev)
		}
		ev, err = s.CaseStudies.Evidence(context.Background(), models.CaseStudySearch{Filters: map[string][]string{"region": {"Atlantis"}}})
		if err != nil || ev.Total != 0 || len(ev.ServiceAreas) != 0 || len(ev.Savings) != 0 || len(ev.Outcomes) != 0 {
			t.Errorf("nothing found = %+v, %v", ev, err)
		}
	})
}

func equalFold(a, b string) bool { return len(a) == len(b) && (a == b || strings.EqualFold(a, b)) }

// BenchmarkEvidence times the sums of the evidence page for a two-word
// search with two facet filters, and for every case study, over 10,000
// (go test ./models/ -run '^$' -bench Evidence -benchtime 20x).
func BenchmarkEvidence(b *testing.B) {
	for _, kind := range testrig.Kinds {
		b.Run(kind, func(b *testing.B) {
			ctx := context.Background()
			s := testrig.Store(b, testrig.Fresh(b, kind))
			fillSearch(b, s, 10_000)
			if err := s.Analyze(); err != nil {
				b.Fatal(err)
			}
			text, err := ftsquery.Parse("staff mutual")
			if err != nil {
				b.Fatal(err)
			}
			for name, q := range map[string]models.CaseStudySearch{
				"search": {Text: text, Filters: map[string][]string{"region": {"North West"}, "service_area": {"libraries", "culture"}}},
				"all":    {},
			} {
				b.Run(name, func(b *testing.B) {
					for range b.N {
						if _, err := s.CaseStudies.Evidence(ctx, q); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
