package casesearch

import (
	"context"
	"strings"

	"github.com/pollen-coop/pollen/models/dbconn"
	"github.com/pollen-coop/pollen/models/ftsquery"
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
// and count, and one row of the facet matchedTotal with the total. The
// matches' ids come from the full-text index, their values from the
// facet table.
func (s searcher) matchedSQL(q Query) (string, []any) {
	base := q
	base.Filters = nil
	if s.Postgres {
		// The matches' ids only (their scores are not needed here).
		base.Text = ftsquery.Query{}
	}
	from, args := s.searchFrom(base, "")
	if s.Postgres {
		cond, cargs := s.matchedIDs(q.Text)
		from += " AND " + cond
		args = append(args, cargs...)
	}
	cols := "n.status_id, n.actor_id, n.year"
	for _, f := range keyedFacets {
		cols += ", n." + f
		if len(q.Filters[f]) > 0 {
			cols += ", n." + f + "_key"
		}
	}
	sql := "WITH found AS MATERIALIZED (SELECT " + cols + " " + from + ")"
	var parts []string
	for _, f := range Facets {
		where, wargs := s.matchedWhere(q, f)
		var part string
		switch f {
		case FacetTag:
			// found first (CROSS JOIN keeps SQLite to that order), each
			// one's tags by the index on status_id: not every tag's rows.
			part = "SELECT t.name AS value, COUNT(*) AS count FROM found CROSS JOIN status_tags t WHERE t.status_id = found.status_id" +
				" AND t.name <> ''" + where + " GROUP BY t.name"
		case FacetOrganisation:
			// Counted by author, then by the authors' names.
			part = "SELECT a.name AS value, SUM(k.count) AS count FROM (SELECT found.actor_id, COUNT(*) AS count FROM found WHERE 1 = 1" +
				where + " GROUP BY found.actor_id) k JOIN actors a ON a.id = k.actor_id WHERE a.name <> '' GROUP BY a.name"
		default:
			part = "SELECT found." + f + " AS value, COUNT(*) AS count FROM found WHERE found." + f + " <> ''" + where + " GROUP BY found." + f
		}
		parts = append(parts, "SELECT * FROM (SELECT '"+f+"' AS facet, value, count FROM ("+part+") g ORDER BY count DESC, value LIMIT ?) f_"+f)
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
		case FacetOrganisation:
			sql.WriteString(" AND found.actor_id IN (SELECT id FROM actors WHERE " + s.Lower("name") + " IN ?)")
		default:
			sql.WriteString(" AND found." + f + "_key IN ?")
		}
		args = append(args, keys)
	}
	return sql.String(), args
}
