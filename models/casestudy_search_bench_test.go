package models_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/models/ftsquery"
	"github.com/pollen-coop/pollen/testrig"
)

// BenchmarkSearch times a two-word search with two facet filters, the
// first page and every facet count together, over 10,000 case studies
// (go test ./models/ -run '^$' -bench Search -benchtime 50x).
func BenchmarkSearch(b *testing.B) {
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
			q := models.CaseStudySearch{Text: text, WithFacets: true,
				Filters: map[string][]string{"region": {"North West"}, "service_area": {"libraries", "culture"}}}
			b.ResetTimer()
			for range b.N {
				if _, err := s.CaseStudies.Search(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// fillSearch stores n case studies by 50 organisations in 10 regions and
// 8 service areas; one in 50 mentions a staff mutual.
func fillSearch(b *testing.B, s *models.Store, n int) {
	b.Helper()
	ctx := context.Background()
	regions := []string{"North West", "North East", "London", "South West", "South East", "Yorkshire", "East", "West Midlands", "East Midlands", "Wales"}
	areas := []string{"libraries", "culture", "leisure", "youth services", "adult social care", "housing", "transport", "health"}
	var actors []int64
	for i := range 50 {
		a := newActor(fmt.Sprintf("https://o%d.example/actors/org", i), i == 0)
		a.Name = fmt.Sprintf("Organisation %d", i)
		if err := s.Actors.Create(ctx, &a); err != nil {
			b.Fatal(err)
		}
		actors = append(actors, a.ID)
	}
	err := s.Atomically(ctx, func(tx *models.Store) error {
		for i := range n {
			c := newCaseStudy(actors[i%len(actors)], fmt.Sprintf("cs-%d", i), i)
			c.Local = i%len(actors) == 0
			c.Region, c.ServiceArea = regions[i%len(regions)], areas[i%len(areas)]
			c.Title = fmt.Sprintf("Service %d moved to a new model", i)
			c.Body = "The council kept the service open with a partner and reported outcomes each year."
			if i%50 == 0 {
				c.Body = "Staff formed a mutual to run the service."
			}
			if err := tx.CaseStudies.Create(ctx, &c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
