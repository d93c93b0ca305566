// Package sqlitepool opens a SQLite database as the store uses it: one
// writer connection and a pool of read-only ones (Split), each connection
// keeping the statements it has prepared (Connector).
package sqlitepool

import (
	"context"
	"database/sql"
	"strings"
)

// Split sends SQLite's reads to a pool of read-only connections and
// everything else (writes, transactions, DDL) to the single writer
// connection. In WAL mode readers run beside the writer and see every
// commit made before they start, so a read after a write sees it.
type Split struct {
	Writer *sql.DB
	Reader *sql.DB
}

func (p Split) pick(query string) *sql.DB {
	q := strings.TrimLeft(query, " \t\r\n(")
	if len(q) >= 6 && strings.EqualFold(q[:6], "select") {
		return p.Reader
	}
	return p.Writer
}

// PrepareContext prepares on the writer.
func (p Split) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.Writer.PrepareContext(ctx, query)
}

// ExecContext runs on the writer.
func (p Split) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.Writer.ExecContext(ctx, query, args...)
}

// QueryContext runs a SELECT on a reader and anything else (an INSERT …
// RETURNING) on the writer.
func (p Split) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return p.pick(query).QueryContext(ctx, query, args...)
}

// QueryRowContext is QueryContext for one row.
func (p Split) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.pick(query).QueryRowContext(ctx, query, args...)
}

// BeginTx starts a transaction on the writer: reads inside it see its own
// writes.
func (p Split) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	return p.Writer.BeginTx(ctx, opts)
}

// GetDBConn returns the writer, for gorm's DB().
func (p Split) GetDBConn() (*sql.DB, error) { return p.Writer, nil }
