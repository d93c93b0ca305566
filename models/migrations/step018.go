package migrations

import (
	"strings"

	"gorm.io/gorm"
)

// step018 adds what a search reads of the live case studies besides
// their text, so that it need not read their rows: case_study_facets,
// a narrow row per live case study with its facet values (each with its
// lower-case key for the filters), its year, publication time and
// savings (the amount as a number, NULL when none); and
// case_study_counts, how many live case studies have each facet value
// (and how much they save, per currency and period, by service area
// and region), here or elsewhere (local), so that a search without words
// and the evidence of every case study read counts instead of every row.
// Both are filled from the live case studies.
func step018(tx *gorm.DB) error {
	pg := tx.Dialector.Name() == "postgres"
	id, real, lower := "case_study_id INTEGER PRIMARY KEY", "REAL", "pollen_lower"
	year := "strftime('%Y', c.published)"
	amount := `(CASE WHEN c.savings_amount <> '' THEN CAST(c.savings_amount AS REAL) END)`
	published := "DATETIME"
	if pg {
		id, real, lower = "case_study_id BIGINT PRIMARY KEY", "DOUBLE PRECISION", "LOWER"
		year = "to_char(c.published AT TIME ZONE 'UTC', 'YYYY')"
		amount = `(CASE WHEN c.savings_amount ~ '^[0-9]+([.][0-9]+){0,1}$' THEN c.savings_amount::float8 END)`
		published = "TIMESTAMPTZ"
	}
	stmts := []string{
		`CREATE TABLE case_study_facets (` + id + `,
			status_id BIGINT NOT NULL, actor_id BIGINT NOT NULL, local BOOLEAN NOT NULL,
			region TEXT NOT NULL, region_key TEXT NOT NULL,
			service_area TEXT NOT NULL, service_area_key TEXT NOT NULL,
			organisation_type TEXT NOT NULL, organisation_type_key TEXT NOT NULL,
			stage TEXT NOT NULL, stage_key TEXT NOT NULL,
			ownership_model TEXT NOT NULL, ownership_model_key TEXT NOT NULL,
			year TEXT NOT NULL, published ` + published + ` NOT NULL,
			savings_amount ` + real + `, savings_currency TEXT NOT NULL, savings_period TEXT NOT NULL)`,
		`CREATE INDEX idx_case_study_facets_published ON case_study_facets (published, case_study_id)`,
		`CREATE INDEX idx_case_study_facets_local ON case_study_facets (local, published, case_study_id)`,
		`CREATE INDEX idx_case_study_facets_actor ON case_study_facets (actor_id, published)`,
		`CREATE INDEX idx_case_study_facets_status ON case_study_facets (status_id)`,
		`CREATE INDEX idx_case_study_facets_region ON case_study_facets (region_key)`,
		`CREATE INDEX idx_case_study_facets_service_area ON case_study_facets (service_area_key)`,
		`CREATE TABLE case_study_counts (
			facet TEXT NOT NULL, value TEXT NOT NULL, currency TEXT NOT NULL, period TEXT NOT NULL,
			local BOOLEAN NOT NULL, n BIGINT NOT NULL, amount ` + real + ` NOT NULL,
			PRIMARY KEY (facet, value, currency, period, local))`,
	}
	for _, s := range stmts {
		if err := tx.Exec(s).Error; err != nil {
			return err
		}
	}
	cols := []string{"region", "service_area", "organisation_type", "stage", "ownership_model"}
	var names, values []string
	for _, c := range cols {
		names = append(names, c, c+"_key")
		values = append(values, "COALESCE(c."+c+", '')", lower+"(COALESCE(c."+c+", ''))")
	}
	err := tx.Exec(`INSERT INTO case_study_facets (case_study_id, status_id, actor_id, local, `+strings.Join(names, ", ")+`,
		year, published, savings_amount, savings_currency, savings_period)
		SELECT c.id, c.status_id, c.actor_id, c.local, `+strings.Join(values, ", ")+`, `+year+`, c.published, `+amount+`,
			COALESCE(c.savings_currency, ''), COALESCE(c.savings_period, '')
		FROM case_studies c WHERE c.deleted_at IS NULL AND c.draft = ?`, false).Error
	if err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO case_study_counts (facet, value, currency, period, local, n, amount) ` + counts018).Error
}

// counts018 is the rows of case_study_counts of every row of
// case_study_facets: the count of each value of each facet (the
// organisation by its actor's id, the tags from status_tags), the
// total, and the savings per currency (upper case) and period (lower
// case) of all of them, by service area and by region.
var counts018 = func() string {
	var parts []string
	for _, f := range []string{"region", "service_area", "organisation_type", "stage", "ownership_model", "year"} {
		parts = append(parts, "SELECT '"+f+"', n."+f+", '', '', n.local, COUNT(*), 0 FROM case_study_facets n WHERE n."+f+
			" <> '' GROUP BY n."+f+", n.local")
	}
	parts = append(parts,
		"SELECT 'organisation', CAST(n.actor_id AS TEXT), '', '', n.local, COUNT(*), 0 FROM case_study_facets n GROUP BY n.actor_id, n.local",
		"SELECT 'tag', t.name, '', '', n.local, COUNT(*), 0 FROM case_study_facets n JOIN status_tags t ON t.status_id = n.status_id"+
			" WHERE t.name <> '' GROUP BY t.name, n.local",
		"SELECT '#total', '', '', '', n.local, COUNT(*), 0 FROM case_study_facets n GROUP BY n.local")
	for _, g := range []struct{ facet, value, group string }{{"#savings", "''", ""}, {"#savings:service_area", "n.service_area", "n.service_area, "},
		{"#savings:region", "n.region", "n.region, "}} {
		parts = append(parts, "SELECT '"+g.facet+"', "+g.value+", UPPER(n.savings_currency), LOWER(n.savings_period), n.local, COUNT(*), SUM(n.savings_amount)"+
			" FROM case_study_facets n WHERE n.savings_amount IS NOT NULL AND n.savings_currency <> '' AND n.savings_period <> ''"+
			" GROUP BY "+g.group+"UPPER(n.savings_currency), LOWER(n.savings_period), n.local")
	}
	return strings.Join(parts, " UNION ALL ")
}()
