package models_test

import (
	"context"
	"slices"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// TestSearchActors: actors by a part of their handle or name, or by
// user@host prefixes, without case, local first; LIKE's wildcards match
// only themselves.
func TestSearchActors(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s, org := storeWithActor(t, db)
		for _, a := range []models.Actor{
			{IRI: "https://b.example:8443/users/alice", Type: "Person", Handle: "alice", Host: "b.example:8443", Name: "Alice Ørsted"},
			{IRI: "https://c.example/users/al_ex", Type: "Person", Handle: "al_ex", Host: "c.example", Name: "Alex"},
			{IRI: "https://d.example/keys/1", Type: "Person"}, // a key's owner not yet named: no handle
		} {
			if err := s.Actors.Create(ctx, &a); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			text string
			want []string
		}{
			{"al", []string{"al_ex", "alice"}},
			{"ØRSTED", []string{"alice"}},
			{"@alice@b.example", []string{"alice"}},
			{"alice@b.example:8443", []string{"alice"}},
			{"al@c", []string{"al_ex"}},
			{"al_", []string{"al_ex"}},
			{"a%", nil},
			{"org", []string{"org"}},
			{"", []string{"org", "al_ex", "alice"}},
		} {
			as, err := s.Actors.SearchActors(ctx, tc.text, 10, 0)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range as {
				got = append(got, a.Handle)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("SearchActors(%q) = %v, want %v", tc.text, got, tc.want)
			}
		}
		if as, err := s.Actors.SearchActors(ctx, "", 1, 1); err != nil || len(as) != 1 || as[0].ID == org.ID {
			t.Errorf("second page of one = %v, %v", as, err)
		}
	})
}

// TestSearchTags: the hashtags of live case studies (their tags and
// service areas) by the start of their key, each once.
func TestSearchTags(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s, a := storeWithActor(t, db)
		for i, tags := range [][]string{{"Libraries", "co_op"}, {"libraries", "Leisure"}, {"Lido"}} {
			c := newCaseStudy(a.ID, string(rune('a'+i)), i)
			c.Tags = tags
			if i == 2 {
				c.ServiceArea = "leisure centres"
			}
			if err := s.CaseStudies.Create(ctx, &c); err != nil {
				t.Fatal(err)
			}
			if i == 2 {
				if err := s.CaseStudies.Delete(ctx, c.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, tc := range []struct {
			prefix string
			want   []string
		}{
			{"li", []string{"libraries"}},
			{"#L", []string{"leisure", "libraries"}},
			{"co_", []string{"co_op"}},
			{"Co-", []string{"co_op"}},
			{"c%", []string{"co_op"}},
			{"%", []string{}},
			{"zzz", []string{}},
		} {
			got, err := s.CaseStudies.SearchTags(ctx, tc.prefix, 10, 0)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("SearchTags(%q) = %v, %v, want %v", tc.prefix, got, err, tc.want)
			}
		}
		if got, err := s.CaseStudies.SearchTags(ctx, "l", 1, 1); err != nil || !slices.Equal(got, []string{"libraries"}) {
			t.Errorf("second page of one = %v, %v", got, err)
		}
	})
}
