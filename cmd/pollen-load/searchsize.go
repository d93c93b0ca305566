package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// feedTotal is the total a feed search of the JSON API answers.
func feedTotal(ctx context.Context, u string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	var body struct {
		Total int64 `json:"total"`
	}
	return body.Total, json.NewDecoder(resp.Body).Decode(&body)
}

// printSizes prints the size of the node's database and of its search
// index: on SQLite the file (with its WAL), the bytes of the FTS5
// tables and of the text they index; on PostgreSQL the schema's
// relations and the index table with its GIN index.
func printSizes(ctx context.Context, n *node, out io.Writer) error {
	var total, index, text int64
	if strings.HasPrefix(n.dsn, "postgres") {
		db, err := sql.Open("pgx", n.dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		err = db.QueryRowContext(ctx, `SELECT
			(SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c
				WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'm')),
			pg_relation_size('idx_case_study_search_document'),
			pg_total_relation_size('case_study_search') - pg_relation_size('idx_case_study_search_document')`).Scan(&total, &index, &text)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "search sizes:       database (schema) %s; GIN index %s; the indexed text with its tsvector %s\n", mb(total), mb(index), mb(text))
		return nil
	}
	for _, f := range []string{n.dsn, n.dsn + "-wal"} {
		if st, err := os.Stat(f); err == nil {
			total += st.Size()
		}
	}
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(n.dsn)+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	// The driver has no dbstat table: the bytes stored in the FTS5
	// tables (its segments and document sizes) and of the indexed text.
	err = db.QueryRowContext(ctx, `SELECT
		(SELECT COALESCE(SUM(length(block)), 0) FROM case_study_fts_data) +
		(SELECT COALESCE(SUM(length(sz)), 0) FROM case_study_fts_docsize),
		(SELECT COALESCE(SUM(length(title) + length(summary) + length(body) + length(outcomes) + length(lessons) +
			length(tags) + length(organisation)), 0) FROM case_study_search)`).Scan(&index, &text)
	if err != nil {
		return fmt.Errorf("sizes: %w", err)
	}
	fmt.Fprintf(out, "search sizes:       database file %s; FTS5 index %s; the indexed text %s\n", mb(total), mb(index), mb(text))
	return nil
}

func mb(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }
