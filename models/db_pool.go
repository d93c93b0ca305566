package models

import (
	"context"
	"database/sql"
	"strings"
)

// splitPool sends SQLite's reads to a pool of read-only connections and
// everything else (writes, transactions, DDL) to the single writer
// connection. In WAL mode readers run beside the writer and see every
// commit made before they start, so a read after a write sees it.
type splitPool struct {
	writer *sql.DB
	reader *sql.DB
}

func (p splitPool) pick(query string) *sql.DB {
	q := strings.TrimLeft(query, " \t\r\n(")
	if len(q) >= 6 && strings.EqualFold(q[:6], "select") {
		return p.reader
	}
	return p.writer
}

// PrepareContext prepares on the writer.
func (p splitPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.writer.PrepareContext(ctx, query)
}

// ExecContext runs on the writer.
func (p splitPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.writer.ExecContext(ctx, query, args...)
}

// QueryContext runs a SELECT on a reader and anything else (an INSERT …
// RETURNING) on the writer.
func (p splitPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return p.pick(query).QueryContext(ctx, query, args...)
}

// QueryRowContext is QueryContext for one row.
func (p splitPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.pick(query).QueryRowContext(ctx, query, args...)
}

// BeginTx starts a transaction on the writer: reads inside it see its own
// writes.
func (p splitPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	return p.writer.BeginTx(ctx, opts)
}

// GetDBConn returns the writer, for gorm's DB().
func (p splitPool) GetDBConn() (*sql.DB, error) { return p.writer, nil }
