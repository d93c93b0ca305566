package casesearch

import (
	"context"
	"sort"
	"strings"

	"github.com/pollen-coop/pollen/models/dbconn"
	"github.com/pollen-coop/pollen/models/policy"
)

// counted reports whether q finds every live case study (here, or
// everywhere): no text, no filter but LocalOnly. Its total, facet
// counts and evidence are then read from the count table.
func counted(q Query) bool {
	if !q.Text.IsZero() || q.ActorID != 0 || q.SavingsCurrency != "" || !q.PublishedAfter.IsZero() || !q.PublishedBefore.IsZero() {
		return false
	}
	for _, vs := range q.Filters {
		if len(vs) > 0 {
			return false
		}
	}
	return true
}

// countsCTE is the common table k of the counts of q (counted) of the
// given facets of the count table (facet, value, currency, period,
// count, amount), here only when q is LocalOnly, less those of the case
// studies of the hidden actors (read from the facet table: there are
// few), so that a rule that hides an actor changes no count.
func (s searcher) countsCTE(q Query, facets []string) (string, []any) {
	kept, hidden := "facet IN ?", "n.actor_id IN ("+policy.HiddenActorIDs+")"
	args := []any{facets}
	var hargs []any
	if q.LocalOnly {
		kept += " AND local = ?"
		hidden += " AND n.local = ?"
		args, hargs = append(args, true), []any{true}
	}
	h, hargs := countsOf(hidden, hargs)
	return "WITH k AS MATERIALIZED (SELECT facet, value, currency, period, SUM(n) AS count, SUM(amount) AS amount FROM (" +
		"SELECT facet, value, currency, period, n, amount FROM case_study_counts WHERE " + kept +
		" UNION ALL SELECT facet, value, currency, period, -n, -amount FROM (" + h + ") h WHERE facet IN ?) u" +
		" GROUP BY facet, value, currency, period)", append(append(args, hargs...), facets)
}

// countedFacets is the total of q (counted) and, when it asks for them,
// its facet counts, from the count table: what facets and a COUNT of
// Search would find, without reading a case study.
func (s searcher) countedFacets(ctx context.Context, q Query) (map[string][]FacetCount, int64, error) {
	facets := []string{countTotal}
	if q.WithFacets {
		facets = append(facets, Facets...)
	}
	sql, args := s.countsCTE(q, facets)
	parts := []string{"SELECT '" + matchedTotal + "' AS facet, '' AS value, COALESCE(SUM(count), 0) AS count FROM k WHERE facet = '" + countTotal + "'"}
	if q.WithFacets {
		id := "CAST(k.value AS INTEGER)"
		if s.Postgres {
			id = "CAST(k.value AS BIGINT)"
		}
		for _, f := range Facets {
			part := "SELECT value, count FROM k WHERE facet = '" + f + "' AND count > 0"
			if f == FacetOrganisation {
				part = "SELECT a.name AS value, SUM(k.count) AS count FROM k JOIN actors a ON a.id = " + id +
					" WHERE k.facet = '" + f + "' AND k.count > 0 AND a.name <> '' GROUP BY a.name"
			}
			parts = append(parts, "SELECT * FROM (SELECT '"+f+"' AS facet, value, count FROM ("+part+") g ORDER BY count DESC, value LIMIT ?) f_"+f)
			args = append(args, MaxFacetValues)
		}
	}
	var rows []struct {
		Facet, Value string
		Count        int64
	}
	if err := s.DB.WithContext(ctx).Raw(sql+" "+strings.Join(parts, " UNION ALL "), args...).Scan(&rows).Error; err != nil {
		return nil, 0, dbconn.Translate(err, "read facet counts")
	}
	var out map[string][]FacetCount
	if q.WithFacets {
		out = make(map[string][]FacetCount, len(Facets))
		for _, f := range Facets {
			out[f] = []FacetCount{}
		}
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

// countedEvidence is Summarise of q (counted) from the count table, its
// outcomes and lessons aside.
func (s searcher) countedEvidence(ctx context.Context, q Query) (Evidence, error) {
	sql, args := s.countsCTE(q, []string{countTotal, countSavings, FacetServiceArea, FacetRegion, FacetStage,
		countSavings + ":" + FacetServiceArea, countSavings + ":" + FacetRegion})
	var rows []struct {
		Facet, Value, Currency, Period string
		Count                          int64
		Amount                         float64
	}
	// The savings rows of every value: a few currencies and periods each.
	err := s.DB.WithContext(ctx).Raw(sql+" SELECT facet, value, currency, period, count, amount FROM k WHERE count > 0"+
		" ORDER BY facet, value, count DESC, currency, period", args...).Scan(&rows).Error
	ev := Evidence{Savings: []SavingsTotal{}}
	if err != nil {
		return ev, dbconn.Translate(err, "read evidence counts")
	}
	counts := map[string][]FacetCount{}
	savings := map[string][]SavingsTotal{}
	for _, r := range rows {
		switch r.Facet {
		case countTotal:
			ev.Total += r.Count
		case countSavings:
			ev.Savings = append(ev.Savings, SavingsTotal{Currency: r.Currency, Period: r.Period, Amount: r.Amount, Count: r.Count})
		case FacetServiceArea, FacetRegion, FacetStage:
			counts[r.Facet] = append(counts[r.Facet], FacetCount{Value: r.Value, Count: r.Count})
		default:
			key := strings.TrimPrefix(r.Facet, countSavings+":") + "\n" + r.Value
			savings[key] = append(savings[key], SavingsTotal{Currency: r.Currency, Period: r.Period, Amount: r.Amount, Count: r.Count})
		}
	}
	groups := func(f string) []EvidenceGroup {
		out := []EvidenceGroup{}
		for _, c := range topCounts(counts[f], MaxEvidenceGroups) {
			g := EvidenceGroup{Value: c.Value, Count: c.Count, Savings: savings[f+"\n"+c.Value]}
			if g.Savings == nil {
				g.Savings = []SavingsTotal{}
			}
			out = append(out, g)
		}
		return out
	}
	ev.ServiceAreas, ev.Regions, ev.Stages = groups(FacetServiceArea), groups(FacetRegion), topCounts(counts[FacetStage], MaxEvidenceGroups)
	return ev, nil
}

// topCounts are the limit largest of counts (in the database's order of
// their values), the largest first, ties in that order: ORDER BY count
// DESC, value LIMIT limit.
func topCounts(counts []FacetCount, limit int) []FacetCount {
	out := append([]FacetCount{}, counts...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out[:min(limit, len(out))]
}
