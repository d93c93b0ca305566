package migrations

import (
	"encoding/json"
	"strings"

	"gorm.io/gorm"
)

// searchRow009 is a row of the search index step009 fills: the text of a
// live case study, its lists as lines, and its author's name.
type searchRow009 struct {
	CaseStudyID  int64
	Title        string
	Summary      string
	Body         string
	Outcomes     string
	Lessons      string
	Tags         string
	Organisation string
}

// sqliteSearch009 is the SQLite index: the text table, the FTS5 table
// reading its content from it, and the triggers that keep them in step.
var sqliteSearch009 = []string{
	`CREATE TABLE case_study_search (
		case_study_id INTEGER PRIMARY KEY,
		title TEXT NOT NULL DEFAULT '', summary TEXT NOT NULL DEFAULT '', body TEXT NOT NULL DEFAULT '',
		outcomes TEXT NOT NULL DEFAULT '', lessons TEXT NOT NULL DEFAULT '', tags TEXT NOT NULL DEFAULT '',
		organisation TEXT NOT NULL DEFAULT '')`,
	`CREATE VIRTUAL TABLE case_study_fts USING fts5(
		title, summary, body, outcomes, lessons, tags, organisation,
		content='case_study_search', content_rowid='case_study_id',
		tokenize='porter unicode61 remove_diacritics 2')`,
	`CREATE TRIGGER case_study_search_ai AFTER INSERT ON case_study_search BEGIN
		INSERT INTO case_study_fts(rowid, title, summary, body, outcomes, lessons, tags, organisation)
		VALUES (new.case_study_id, new.title, new.summary, new.body, new.outcomes, new.lessons, new.tags, new.organisation);
	END`,
	`CREATE TRIGGER case_study_search_ad AFTER DELETE ON case_study_search BEGIN
		INSERT INTO case_study_fts(case_study_fts, rowid, title, summary, body, outcomes, lessons, tags, organisation)
		VALUES ('delete', old.case_study_id, old.title, old.summary, old.body, old.outcomes, old.lessons, old.tags, old.organisation);
	END`,
	`CREATE TRIGGER case_study_search_au AFTER UPDATE ON case_study_search BEGIN
		INSERT INTO case_study_fts(case_study_fts, rowid, title, summary, body, outcomes, lessons, tags, organisation)
		VALUES ('delete', old.case_study_id, old.title, old.summary, old.body, old.outcomes, old.lessons, old.tags, old.organisation);
		INSERT INTO case_study_fts(rowid, title, summary, body, outcomes, lessons, tags, organisation)
		VALUES (new.case_study_id, new.title, new.summary, new.body, new.outcomes, new.lessons, new.tags, new.organisation);
	END`,
}

// postgresSearch009 is the PostgreSQL index: the text table with a
// weighted tsvector generated from it (title A; summary, tags and
// organisation B; outcomes and lessons C; body D) and a GIN index on it.
var postgresSearch009 = []string{
	`CREATE TABLE case_study_search (
		case_study_id BIGINT PRIMARY KEY,
		title TEXT NOT NULL DEFAULT '', summary TEXT NOT NULL DEFAULT '', body TEXT NOT NULL DEFAULT '',
		outcomes TEXT NOT NULL DEFAULT '', lessons TEXT NOT NULL DEFAULT '', tags TEXT NOT NULL DEFAULT '',
		organisation TEXT NOT NULL DEFAULT '',
		document tsvector GENERATED ALWAYS AS (
			setweight(to_tsvector('pollen_search'::regconfig, title), 'A') ||
			setweight(to_tsvector('pollen_search'::regconfig, summary || ' ' || tags || ' ' || organisation), 'B') ||
			setweight(to_tsvector('pollen_search'::regconfig, outcomes || ' ' || lessons), 'C') ||
			setweight(to_tsvector('pollen_search'::regconfig, body), 'D')) STORED)`,
	`CREATE INDEX idx_case_study_search_document ON case_study_search USING GIN (document)`,
}

// step009 adds the full-text index of case studies: on SQLite an FTS5
// table (Porter stemming over unicode61, accents removed), on PostgreSQL
// a stored tsvector in the text search configuration pollen_search
// (english, with unaccent when the extension can be had), and fills it
// with the live case studies.
func step009(tx *gorm.DB) error {
	stmts := sqliteSearch009
	if tx.Dialector.Name() == "postgres" {
		if err := searchConfig009(tx); err != nil {
			return err
		}
		stmts = postgresSearch009
	}
	for _, s := range stmts {
		if err := tx.Exec(s).Error; err != nil {
			return err
		}
	}
	return fillSearch009(tx)
}

// searchConfig009 makes the text search configuration pollen_search in
// the current schema: a copy of english whose words go through unaccent
// first when the unaccent extension is installed or can be (it is trusted
// from PostgreSQL 13: a database owner may create it). Without it, the
// configuration is english's: accents are then not folded on PostgreSQL.
func searchConfig009(tx *gorm.DB) error {
	if err := tx.Exec(`CREATE TEXT SEARCH CONFIGURATION pollen_search (COPY = pg_catalog.english)`).Error; err != nil {
		return err
	}
	schema := unaccentSchema009(tx)
	if schema == "" {
		var available int64
		if err := tx.Raw(`SELECT count(*) FROM pg_available_extensions WHERE name = 'unaccent'`).Scan(&available).Error; err != nil {
			return err
		}
		if available == 0 {
			return nil
		}
		// In the public schema, so that a dropped schema does not take it.
		if err := tx.SavePoint("unaccent009").Error; err != nil {
			return err
		}
		if err := tx.Exec(`CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public`).Error; err != nil {
			return tx.RollbackTo("unaccent009").Error
		}
		if schema = unaccentSchema009(tx); schema == "" {
			return nil
		}
	}
	return tx.Exec(`ALTER TEXT SEARCH CONFIGURATION pollen_search ALTER MAPPING FOR hword, hword_part, word WITH "` +
		strings.ReplaceAll(schema, `"`, `""`) + `".unaccent, english_stem`).Error
}

// unaccentSchema009 is the schema the unaccent extension is installed in,
// or "".
func unaccentSchema009(tx *gorm.DB) string {
	var schema []string
	tx.Raw(`SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'`).Scan(&schema)
	if len(schema) == 0 {
		return ""
	}
	return schema[0]
}

// fillSearch009 indexes the case studies that are not deleted.
func fillSearch009(tx *gorm.DB) error {
	var rows []struct {
		ID                            int64
		Title, Summary, Body          string
		Outcomes, Lessons, Tags, Name string
	}
	err := tx.Raw(`SELECT c.id, c.title, COALESCE(c.summary, '') AS summary, COALESCE(c.body, '') AS body,
		COALESCE(c.outcomes, '') AS outcomes, COALESCE(c.lessons, '') AS lessons, COALESCE(c.tags, '') AS tags,
		COALESCE(a.name, '') AS name
		FROM case_studies c LEFT JOIN actors a ON a.id = c.actor_id WHERE c.deleted_at IS NULL`).Scan(&rows).Error
	if err != nil {
		return err
	}
	for _, r := range rows {
		row := searchRow009{CaseStudyID: r.ID, Title: r.Title, Summary: r.Summary, Body: r.Body,
			Outcomes: lines009(r.Outcomes), Lessons: lines009(r.Lessons), Tags: lines009(r.Tags), Organisation: r.Name}
		if err := tx.Table("case_study_search").Create(&row).Error; err != nil {
			return err
		}
	}
	return nil
}

// lines009 is a JSON array of strings as lines ("" when it is not one).
func lines009(s string) string {
	var l []string
	_ = json.Unmarshal([]byte(s), &l)
	return strings.Join(l, "\n")
}
