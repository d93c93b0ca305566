package casesearch

import (
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// The facet table (step018's case_study_facets) has a narrow row per
// live case study with what a search filters, counts and orders by
// besides the text: its facet values (with their lower-case keys), its
// author, year, publication time and savings. A search reads it, not
// the case studies' rows. The count table (case_study_counts) holds how
// many live case studies have each facet value, here (local) and
// elsewhere, their total, and their savings per currency and period (of
// all of them, by service area and by region): a search without words
// and the evidence of every case study read it. Both change in the
// transaction that writes a case study: Forget before the write (and
// before its hashtags change), Record after it.

// facetIDsChunk is the most case study ids one statement of Forget or
// Record names.
const facetIDsChunk = 500

// keyedFacets are the facets whose values the facet table keeps with a
// lower-case key, in its columns of the same name.
var keyedFacets = []string{FacetRegion, FacetServiceArea, FacetOrganisationType, FacetStage, FacetOwnershipModel}

// Forget takes the case studies with the given ids out of the facet
// table and their values out of the counts, in tx. Call it before a
// write to them, and before their hashtags change. It returns the
// database's errors.
func Forget(tx *gorm.DB, ids []int64) error {
	for i := 0; i < len(ids); i += facetIDsChunk {
		part := ids[i:min(i+facetIDsChunk, len(ids))]
		if err := forgetWhere(tx, "n.case_study_id IN ?", part); err != nil {
			return err
		}
	}
	return nil
}

// ForgetActor is Forget of every received case study of the actor (what
// the store empties when the actor is gone).
func ForgetActor(tx *gorm.DB, actorID int64) error {
	return forgetWhere(tx, "n.actor_id = ? AND n.local = ?", actorID, false)
}

// forgetWhere is Forget of the rows of the facet table n where says.
func forgetWhere(tx *gorm.DB, where string, args ...any) error {
	s := searcher{conn(tx)}
	if err := s.addCounts(tx, where, args, -1); err != nil {
		return err
	}
	return tx.Exec("DELETE FROM case_study_facets WHERE case_study_id IN (SELECT n.case_study_id FROM case_study_facets n WHERE "+where+")",
		args...).Error
}

// Record writes the rows of the facet table of the case studies with
// the given ids that are live (neither deleted nor drafts) and adds their
// values to the counts, in tx; they must have none (a new case study, or
// one Forget took out). Call it after the write, and after their
// hashtags are set. It returns the database's errors.
func Record(tx *gorm.DB, ids []int64) error {
	s := searcher{conn(tx)}
	var names, values []string
	for _, f := range keyedFacets {
		names = append(names, f, f+"_key")
		values = append(values, "COALESCE(c."+f+", '')", s.Lower("COALESCE(c."+f+", '')"))
	}
	insert := "INSERT INTO case_study_facets (case_study_id, status_id, actor_id, local, " + strings.Join(names, ", ") +
		", year, published, savings_amount, savings_currency, savings_period) SELECT c.id, c.status_id, c.actor_id, c.local, " +
		strings.Join(values, ", ") + ", " + s.yearColumn() + ", c.published, " + s.savingsAmount() +
		", COALESCE(c.savings_currency, ''), COALESCE(c.savings_period, '') FROM case_studies c" +
		" WHERE c.id IN ? AND c.deleted_at IS NULL AND c.draft = ?"
	for i := 0; i < len(ids); i += facetIDsChunk {
		part := ids[i:min(i+facetIDsChunk, len(ids))]
		if err := tx.Exec(insert, part, false).Error; err != nil {
			return err
		}
		if err := s.addCounts(tx, "n.case_study_id IN ?", []any{part}, 1); err != nil {
			return err
		}
	}
	return nil
}

// conn is tx as a dbconn.Conn.
func conn(tx *gorm.DB) dbconn.Conn {
	return dbconn.Conn{DB: tx, Postgres: tx.Dialector.Name() == "postgres"}
}

// addCounts adds sign times the counts of the rows of the facet table n
// where says to the count table, in tx.
func (s searcher) addCounts(tx *gorm.DB, where string, args []any, sign int) error {
	counts, cargs := countsOf(where, args)
	k := strconv.Itoa(sign)
	return tx.Exec("INSERT INTO case_study_counts (facet, value, currency, period, local, n, amount)"+
		" SELECT facet, value, currency, period, local, "+k+" * n, "+k+" * amount FROM ("+counts+") u WHERE 1 = 1"+
		" ORDER BY facet, value, currency, period, local"+
		" ON CONFLICT (facet, value, currency, period, local) DO UPDATE SET n = case_study_counts.n + excluded.n,"+
		" amount = case_study_counts.amount + excluded.amount", cargs...).Error
}

// countsOf is the SQL of the rows of the count table (facet, value,
// currency, period, local, n, amount) of the rows of the facet table n
// where says: the count of each value of each facet (an organisation by
// its actor's id, the tags from status_tags), the total (facet
// countTotal), and the savings per currency (upper case) and period
// (lower case) of all of them (countSavings), by service area and by
// region.
func countsOf(where string, args []any) (string, []any) {
	var parts []string
	var out []any
	add := func(sql string) {
		parts = append(parts, sql)
		out = append(out, args...)
	}
	for _, f := range append(append([]string{}, keyedFacets...), FacetYear) {
		add("SELECT '" + f + "' AS facet, n." + f + " AS value, '' AS currency, '' AS period, n.local AS local, COUNT(*) AS n, 0 AS amount" +
			" FROM case_study_facets n WHERE " + where + " AND n." + f + " <> '' GROUP BY n." + f + ", n.local")
	}
	add("SELECT '" + FacetOrganisation + "', CAST(n.actor_id AS TEXT), '', '', n.local, COUNT(*), 0 FROM case_study_facets n WHERE " +
		where + " GROUP BY n.actor_id, n.local")
	add("SELECT '" + FacetTag + "', t.name, '', '', n.local, COUNT(*), 0 FROM case_study_facets n JOIN status_tags t ON t.status_id = n.status_id" +
		" WHERE " + where + " AND t.name <> '' GROUP BY t.name, n.local")
	add("SELECT '" + countTotal + "', '', '', '', n.local, COUNT(*), 0 FROM case_study_facets n WHERE " + where + " GROUP BY n.local")
	for _, g := range []struct{ facet, value, group string }{{countSavings, "''", ""},
		{countSavings + ":" + FacetServiceArea, "n.service_area", "n.service_area, "}, {countSavings + ":" + FacetRegion, "n.region", "n.region, "}} {
		add("SELECT '" + g.facet + "', " + g.value + ", UPPER(n.savings_currency), LOWER(n.savings_period), n.local, COUNT(*), SUM(n.savings_amount)" +
			" FROM case_study_facets n WHERE " + where + " AND n.savings_amount IS NOT NULL AND n.savings_currency <> '' AND n.savings_period <> ''" +
			" GROUP BY " + g.group + "UPPER(n.savings_currency), LOWER(n.savings_period), n.local")
	}
	return strings.Join(parts, " UNION ALL "), out
}

// The count table's facets besides Facets: the total, and the savings.
const (
	countTotal   = "#total"
	countSavings = "#savings"
)
