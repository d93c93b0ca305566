// Package testrig starts what tests need in one line: stores on SQLite and
// PostgreSQL, and whole nodes listening on 127.0.0.1.
package testrig

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, for schema set-up

	"github.com/pollen-coop/pollen/models"
)

// EnvDatabaseURL names the PostgreSQL server tests use.
const EnvDatabaseURL = "POLLEN_TEST_DATABASE_URL"

// DB is one database a test runs on.
type DB struct {
	Name string // "sqlite" or "postgres"
	DSN  string
}

// EachDB runs fn as a subtest on SQLite and on PostgreSQL, each a fresh,
// empty database. Without POLLEN_TEST_DATABASE_URL the PostgreSQL subtest is
// skipped, unless CI is set, when it fails.
func EachDB(t *testing.T, fn func(t *testing.T, db DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// Kinds are the names of the databases a test can run on.
var Kinds = []string{"sqlite", "postgres"}

// Fresh returns a fresh, empty database of the given kind ("sqlite" or
// "postgres", as DB.Name says): for a test that needs a second database
// of the kind it runs on, or a benchmark that runs on each kind.
func Fresh(t testing.TB, kind string) DB {
	t.Helper()
	if kind == "postgres" {
		return Postgres(t)
	}
	return SQLite(t)
}

// SQLite returns a fresh SQLite database file in the test's temp folder.
func SQLite(t testing.TB) DB {
	t.Helper()
	return DB{Name: "sqlite", DSN: filepath.Join(t.TempDir(), "pollen.db")}
}

// Postgres returns a fresh schema on the PostgreSQL server named by
// POLLEN_TEST_DATABASE_URL, dropped when the test ends. It skips the test
// when the variable is not set, or fails it when CI is set.
func Postgres(t testing.TB) DB {
	t.Helper()
	base := os.Getenv(EnvDatabaseURL)
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set: CI must run every store test on PostgreSQL", EnvDatabaseURL)
		}
		t.Skipf("PostgreSQL tests skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", EnvDatabaseURL)
	}
	raw := make([]byte, 6)
	_, _ = rand.Read(raw)
	schema := "t_" + hex.EncodeToString(raw)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", EnvDatabaseURL, err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		_ = admin.Close()
		t.Fatalf("create schema on %s: %v", EnvDatabaseURL, err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		_ = admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvDatabaseURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return DB{Name: "postgres", DSN: u.String()}
}

// Store opens and migrates a store on db, closed when the test ends.
func Store(t testing.TB, db DB) *models.Store {
	t.Helper()
	s, err := models.Open(context.Background(), db.DSN)
	if err != nil {
		t.Fatalf("open store on %s: %v", db.Name, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", db.Name, err)
	}
	return s
}
