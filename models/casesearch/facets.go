package casesearch

import (
	"context"
	"strings"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// facets counts the values of every facet among the case studies q
// finds, each ignoring its own filter.
func (s searcher) facets(ctx context.Context, q Query) (map[string][]FacetCount, error) {
	out := make(map[string][]FacetCount, len(Facets))
	for _, f := range Facets {
		from, args := s.searchFrom(q, f)
		col := "n." + f
		switch f {
		case FacetTag:
			from = strings.Replace(from, "FROM case_study_facets n", "FROM status_tags t JOIN case_study_facets n ON n.status_id = t.status_id", 1)
			col = "t.name"
		case FacetOrganisation:
			from = strings.Replace(from, "FROM case_study_facets n", "FROM case_study_facets n JOIN actors a ON a.id = n.actor_id", 1)
			col = "a.name"
		}
		counts := []FacetCount{}
		err := s.DB.WithContext(ctx).Raw("SELECT "+col+" AS value, COUNT(*) AS count "+from+" AND "+col+" <> '' GROUP BY "+col+
			" ORDER BY count DESC, value LIMIT ?", append(args, MaxFacetValues)...).Scan(&counts).Error
		if err != nil {
			return nil, dbconn.Translate(err, "count facet %s", f)
		}
		out[f] = counts
	}
	return out, nil
}

// yearColumn is the SQL of a case study's year, from its row (c): what
// the facet table keeps.
func (s searcher) yearColumn() string {
	if s.Postgres {
		return "to_char(c.published AT TIME ZONE 'UTC', 'YYYY')"
	}
	return "strftime('%Y', c.published)"
}

// facetFilter is the condition on the facet table (n) that keeps the case
// studies with one of the values of facet f.
func (s searcher) facetFilter(f string, values []string) (string, []any) {
	keys := make([]string, 0, len(values))
	for _, v := range values {
		keys = append(keys, strings.ToLower(v))
	}
	switch f {
	case FacetTag:
		return "n.status_id IN (SELECT status_id FROM status_tags WHERE name IN ?)", []any{keys}
	case FacetYear:
		return "n.year IN ?", []any{keys}
	case FacetOrganisation:
		return "n.actor_id IN (SELECT id FROM actors WHERE " + s.Lower("name") + " IN ?)", []any{keys}
	}
	return "n." + f + "_key IN ?", []any{keys}
}
