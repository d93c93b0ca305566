package casesearch

import (
	"context"
	"strings"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// Evidence is what the case studies a query finds report, counted and
// summed by the database: how many there are, their savings (per
// currency and period, never summed across them), and, by service area,
// region, stage and the most common outcomes and lessons, how many say
// each.
type Evidence struct {
	Total int64
	// Savings are the totals of every case study found that reports
	// savings, one per currency and period.
	Savings      []SavingsTotal
	ServiceAreas []EvidenceGroup
	Regions      []EvidenceGroup
	Stages       []FacetCount
	// Outcomes and Lessons are the most common ones, word for word
	// (case and the spaces around them aside).
	Outcomes, Lessons []FacetCount
}

// EvidenceGroup is the case studies found with one value of a facet: how
// many, and their savings per currency and period.
type EvidenceGroup struct {
	Value   string
	Count   int64
	Savings []SavingsTotal
}

// SavingsTotal is the sum of the savings Count case studies report in
// one currency (upper case) per one period (lower case).
type SavingsTotal struct {
	Currency, Period string
	Amount           float64
	Count            int64
}

// The most groups and texts Summarise lists, the largest first.
const (
	MaxEvidenceGroups = 20
	MaxEvidenceTexts  = 10
)

// Summarise counts and sums what the case studies q finds report (its
// paging, order and facet counts aside), with GROUP BY queries that read
// no row into memory. The evidence of every case study (no text, no
// filter) is read through k (nil: from the database every time). It
// returns the database's errors.
func Summarise(ctx context.Context, c dbconn.Conn, k *Counts, q Query) (Evidence, error) {
	s := searcher{c}
	if counted(q) {
		// Every case study: the counts kept as they are written.
		return s.cachedEvidence(ctx, k, q)
	}
	ev, err := s.summarise(ctx, q)
	if err != nil {
		return ev, err
	}
	return s.withTexts(ctx, q, ev)
}

// withTexts is ev with the most common outcomes and lessons of q.
func (s searcher) withTexts(ctx context.Context, q Query, ev Evidence) (Evidence, error) {
	var err error
	if ev.Outcomes, err = s.texts(ctx, q, "c.outcomes"); err != nil {
		return ev, err
	}
	ev.Lessons, err = s.texts(ctx, q, "c.lessons")
	return ev, err
}

// summarise is Summarise of q but its outcomes and lessons, from the
// facet table.
func (s searcher) summarise(ctx context.Context, q Query) (Evidence, error) {
	var ev Evidence
	from, args := s.searchFrom(q, "")
	db := s.DB.WithContext(ctx)
	if err := db.Raw("SELECT COUNT(*) "+from, args...).Scan(&ev.Total).Error; err != nil {
		return ev, dbconn.Translate(err, "count evidence")
	}
	totals, err := s.savingsTotals(ctx, q, "", nil)
	if err != nil {
		return ev, err
	}
	ev.Savings = make([]SavingsTotal, len(totals))
	for i, t := range totals {
		ev.Savings[i] = t.SavingsTotal
	}
	if ev.ServiceAreas, err = s.groups(ctx, q, "n.service_area"); err != nil {
		return ev, err
	}
	if ev.Regions, err = s.groups(ctx, q, "n.region"); err != nil {
		return ev, err
	}
	ev.Stages, err = s.counts(ctx, from, args, "n.stage", MaxEvidenceGroups)
	return ev, err
}

// counts are the most common values of col among the rows of from, with
// how many rows have each, the most common first.
func (s searcher) counts(ctx context.Context, from string, args []any, col string, limit int) ([]FacetCount, error) {
	out := []FacetCount{}
	err := s.DB.WithContext(ctx).Raw("SELECT "+col+" AS value, COUNT(*) AS count "+from+" AND "+col+" <> '' GROUP BY "+col+
		" ORDER BY count DESC, value LIMIT ?", append(args, limit)...).Scan(&out).Error
	return out, dbconn.Translate(err, "count evidence by %s", col)
}

// groups are the case studies q finds by the value of col (the most
// common first), each with its savings.
func (s searcher) groups(ctx context.Context, q Query, col string) ([]EvidenceGroup, error) {
	from, args := s.searchFrom(q, "")
	counts, err := s.counts(ctx, from, args, col, MaxEvidenceGroups)
	if err != nil || len(counts) == 0 {
		return []EvidenceGroup{}, err
	}
	values := make([]string, len(counts))
	for i, c := range counts {
		values[i] = c.Value
	}
	totals, err := s.savingsTotals(ctx, q, col, values)
	if err != nil {
		return nil, err
	}
	out := make([]EvidenceGroup, len(counts))
	for i, c := range counts {
		out[i] = EvidenceGroup{Value: c.Value, Count: c.Count, Savings: []SavingsTotal{}}
		for _, t := range totals {
			if t.value == c.Value {
				out[i].Savings = append(out[i].Savings, t.SavingsTotal)
			}
		}
	}
	return out, nil
}

// groupTotal is a SavingsTotal of the case studies with one value of a
// column.
type groupTotal struct {
	value string
	SavingsTotal
}

// savingsTotals sums the savings of the case studies q finds per currency
// and period: of all of them when col is "", else of those whose col is
// one of values, per value too.
func (s searcher) savingsTotals(ctx context.Context, q Query, col string, values []string) ([]groupTotal, error) {
	from, args := s.searchFrom(q, "")
	amount := "n.savings_amount"
	value := "''"
	if col != "" {
		value = col
		from += " AND " + col + " IN ?"
		args = append(args, values)
	}
	var rows []struct {
		Value, Currency, Period string
		Amount                  float64
		Count                   int64
	}
	err := s.DB.WithContext(ctx).Raw("SELECT "+value+" AS value, UPPER(n.savings_currency) AS currency, LOWER(n.savings_period) AS period,"+
		" SUM("+amount+") AS amount, COUNT(*) AS count "+from+" AND "+amount+" IS NOT NULL AND n.savings_currency <> '' AND n.savings_period <> ''"+
		" GROUP BY 1, 2, 3 ORDER BY 1, count DESC, 2, 3", args...).Scan(&rows).Error
	if err != nil {
		return nil, dbconn.Translate(err, "sum savings")
	}
	out := make([]groupTotal, len(rows))
	for i, r := range rows {
		out[i] = groupTotal{value: r.Value, SavingsTotal: SavingsTotal{Currency: r.Currency, Period: r.Period, Amount: r.Amount, Count: r.Count}}
	}
	return out, nil
}

// texts are the most common items of the list column col (outcomes or
// lessons, JSON arrays of text) among the case studies q finds, each
// with how many say it; items that differ only in case or in the spaces
// around them count as one, shown as the first of them in order.
func (s searcher) texts(ctx context.Context, q Query, col string) ([]FacetCount, error) {
	from, args := s.searchFrom(q, "")
	items := "FROM case_study_facets n JOIN case_studies c ON c.id = n.case_study_id JOIN json_each(CASE WHEN json_valid(" + col + ") AND " + col + " LIKE '[%' THEN " + col + " ELSE '[]' END) j"
	if s.Postgres {
		items = "FROM case_study_facets n JOIN case_studies c ON c.id = n.case_study_id CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN " + col + " LIKE '[%' THEN " + col +
			"::jsonb ELSE '[]'::jsonb END) AS j(value)"
	}
	from = strings.Replace(from, "FROM case_study_facets n", items, 1)
	key := "LOWER(TRIM(j.value))"
	out := []FacetCount{}
	err := s.DB.WithContext(ctx).Raw("SELECT MIN(TRIM(j.value)) AS value, COUNT(DISTINCT c.id) AS count "+from+" AND "+key+" <> ''"+
		" GROUP BY "+key+" ORDER BY count DESC, value LIMIT ?", append(args, MaxEvidenceTexts)...).Scan(&out).Error
	return out, dbconn.Translate(err, "count evidence by %s", col)
}
