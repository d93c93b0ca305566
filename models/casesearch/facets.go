package casesearch

import (
	"context"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// facets counts the values of every facet among the case studies q
// finds, each ignoring its own filter.
func (s searcher) facets(ctx context.Context, q Query) (map[string][]FacetCount, error) {
	out := make(map[string][]FacetCount, len(Facets))
	for _, f := range Facets {
		from, args := s.searchFrom(q, f)
		col := s.facetColumn(f)
		if f == FacetTag {
			from = strings.Replace(from, "FROM case_studies c", "FROM status_tags t JOIN case_studies c ON c.status_id = t.status_id", 1)
			col = "t.name"
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

// facetColumn is the SQL of a facet's value (not the tag's: a case study
// has several).
func (s searcher) facetColumn(f string) string {
	switch f {
	case FacetOrganisation:
		return "a.name"
	case FacetYear:
		if s.Postgres {
			return "to_char(c.published AT TIME ZONE 'UTC', 'YYYY')"
		}
		return "strftime('%Y', c.published)"
	}
	return "c." + f
}

// facetFilter is the condition that keeps the case studies with one of
// the values of facet f.
func (s searcher) facetFilter(f string, values []string) (string, []any) {
	keys := make([]string, 0, len(values))
	for _, v := range values {
		keys = append(keys, strings.ToLower(v))
	}
	switch f {
	case FacetTag:
		return "c.status_id IN (SELECT status_id FROM status_tags WHERE name IN ?)", []any{keys}
	case FacetYear:
		var conds []string
		var args []any
		for _, v := range keys {
			t, err := time.Parse("2006", v)
			if err != nil {
				conds = append(conds, "1 = 0")
				continue
			}
			conds = append(conds, "(c.published >= ? AND c.published < ?)")
			args = append(args, dbconn.DBTime(t), dbconn.DBTime(t.AddDate(1, 0, 0)))
		}
		return "(" + strings.Join(conds, " OR ") + ")", args
	}
	return s.Lower(s.facetColumn(f)) + " IN ?", []any{keys}
}
