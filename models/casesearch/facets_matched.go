package casesearch

import (
	"context"
	"strings"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// matchedTotal is the facet name of the row of matchedFacets that holds
// the total.
const matchedTotal = "#total"

// matchedFacets counts, for a search with text, every facet and the
// total in one statement: the case studies the text and the filters
// other than the facets find (a few thousand at most, for words found in
// under 1% of the case studies) are read once into found, with their facet
// values; then each facet is counted in found under the other facets'
// filters, and the total under all of them. The counts are exact: the
// same as facets' and the COUNT of Search, reading the full-text index
// once instead of once a facet.
func (s searcher) matchedFacets(ctx context.Context, q Query) (map[string][]FacetCount, int64, error) {
	sql, args := s.matchedSQL(q)
	var rows []struct {
		Facet, Value string
		Count        int64
	}
	if err := s.DB.WithContext(ctx).Raw(sql, args...).Scan(&rows).Error; err != nil {
		return nil, 0, dbconn.Translate(err, "count facets")
	}
	out := make(map[string][]FacetCount, len(Facets))
	for _, f := range Facets {
		out[f] = []FacetCount{}
	}
	var total int64
	for _, r := range rows {
		if r.Facet == matchedTotal {
			total = r.Count
			continue
		}
		out[r.Facet] = append(out[r.Facet], FacetCount{Value: r.Value, Count: r.Count})
	}
	return out, total, nil
}

// matchedSQL is the statement of matchedFacets: rows of facet, value
// and count, and one row of the facet matchedTotal with the total.
func (s searcher) matchedSQL(q Query) (string, []any) {
	base := q
	base.Filters = nil
	from, args := s.searchFrom(base, "")
	// The values filtered on are folded once, in found.
	keys := ""
	for _, f := range Facets {
		if len(q.Filters[f]) > 0 && f != FacetTag && f != FacetYear {
			keys += ", " + s.Lower(s.facetColumn(f)) + " AS " + f + "_key"
		}
	}
	sql := "WITH found AS MATERIALIZED (SELECT c.status_id, c.region, c.service_area, c.organisation_type, c.stage, c.ownership_model, " +
		"a.name AS organisation, " + s.facetColumn(FacetYear) + " AS year" + keys + " " + from + ")"
	var parts []string
	for _, f := range Facets {
		where, wargs := s.matchedWhere(q, f)
		col, src := "found."+f, "found"
		if f == FacetTag {
			col, src = "t.name", "found CROSS JOIN status_tags t"
		}
		if f == FacetTag {
			// found first (CROSS JOIN keeps SQLite to that order), each
			// one's tags by the index on status_id: not every tag's rows.
			where = " AND t.status_id = found.status_id" + where
		}
		parts = append(parts, "SELECT * FROM (SELECT '"+f+"' AS facet, "+col+" AS value, COUNT(*) AS count FROM "+src+
			" WHERE "+col+" <> ''"+where+" GROUP BY "+col+" ORDER BY count DESC, value LIMIT ?) f_"+f)
		args = append(append(args, wargs...), MaxFacetValues)
	}
	where, wargs := s.matchedWhere(q, "")
	parts = append(parts, "SELECT '"+matchedTotal+"' AS facet, '' AS value, COUNT(*) AS count FROM found WHERE 1 = 1"+where)
	return sql + " " + strings.Join(parts, " UNION ALL "), append(args, wargs...)
}

// matchedWhere is the condition (" AND …", or "") on the rows of found of
// every facet filter of q but except's.
func (s searcher) matchedWhere(q Query, except string) (string, []any) {
	var sql strings.Builder
	var args []any
	for _, f := range Facets {
		vs := q.Filters[f]
		if len(vs) == 0 || f == except {
			continue
		}
		keys := make([]string, len(vs))
		for i, v := range vs {
			keys[i] = strings.ToLower(v)
		}
		switch f {
		case FacetTag:
			sql.WriteString(" AND EXISTS (SELECT 1 FROM status_tags ft WHERE ft.status_id = found.status_id AND ft.name IN ?)")
		case FacetYear:
			sql.WriteString(" AND found.year IN ?")
		default:
			sql.WriteString(" AND found." + f + "_key IN ?")
		}
		args = append(args, keys)
	}
	return sql.String(), args
}
