package sqlitepool

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

// openOne opens a fresh database file through one connection that keeps
// size statements, with a table t(id, name).
func openOne(t *testing.T, size int) *sql.DB {
	t.Helper()
	dsn := "file:" + filepath.Join(t.TempDir(), "t.db") + "?_pragma=journal_mode(WAL)&_txlock=immediate"
	c, err := Connector(dsn, size)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	return db
}

// kept returns the SQL of the statements db's connection keeps, most
// recently used first.
func kept(t *testing.T, db *sql.DB) []string {
	t.Helper()
	sc, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	var out []string
	err = sc.Raw(func(dc any) error {
		for e := dc.(*conn).lru.Front(); e != nil; e = e.Next() {
			out = append(out, e.Value.(*cached).query)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type querier interface {
	Query(string, ...any) (*sql.Rows, error)
}

func names(t *testing.T, q querier, query string, args ...any) []string {
	t.Helper()
	rs, err := q.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var s string
		if err := rs.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func insert(t *testing.T, db *sql.DB, n int) {
	t.Helper()
	for i := range n {
		if _, err := db.Exec(`INSERT INTO t (name) VALUES (?)`, fmt.Sprint("n", i)); err != nil {
			t.Fatal(err)
		}
	}
}

const (
	insertSQL = `INSERT INTO t (name) VALUES (?)`
	selectSQL = `SELECT name FROM t WHERE id > ? ORDER BY id`
)

func TestStatementsAreKeptAndReused(t *testing.T) {
	db := openOne(t, 8)
	insert(t, db, 5)
	for range 3 {
		if got := names(t, db, selectSQL, 3); !slices.Equal(got, []string{"n3", "n4"}) {
			t.Fatalf("got %v", got)
		}
	}
	want := []string{selectSQL, insertSQL, `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`}
	if got := kept(t, db); !slices.Equal(got, want) {
		t.Errorf("kept %q, want %q", got, want)
	}
}

func TestTheLeastRecentlyUsedIsDropped(t *testing.T) {
	db := openOne(t, 3)
	insert(t, db, 3)
	for i := range 10 {
		if got := names(t, db, fmt.Sprintf(`SELECT name FROM t WHERE id = ? AND %d = %d`, i, i), 2); !slices.Equal(got, []string{"n1"}) {
			t.Fatalf("query %d: got %v", i, got)
		}
	}
	got := kept(t, db)
	want := []string{`SELECT name FROM t WHERE id = ? AND 9 = 9`, `SELECT name FROM t WHERE id = ? AND 8 = 8`, `SELECT name FROM t WHERE id = ? AND 7 = 7`}
	if !slices.Equal(got, want) {
		t.Errorf("kept %q, want %q", got, want)
	}
}

// The same query inside a loop over its own open rows, in one transaction:
// the inner call must not reset the statement the outer rows read.
func TestAStatementReadingRowsIsNotShared(t *testing.T) {
	db := openOne(t, 8)
	insert(t, db, 4)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	outer, err := tx.Query(selectSQL, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for outer.Next() {
		var s string
		if err := outer.Scan(&s); err != nil {
			t.Fatal(err)
		}
		inner := names(t, tx, selectSQL, 2)
		got = append(got, s+fmt.Sprint(len(inner)))
		if _, err := tx.Exec(selectSQL, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := outer.Close(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"n02", "n12", "n22", "n32"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := names(t, db, selectSQL, 3); !slices.Equal(got, []string{"n3"}) {
		t.Errorf("after: got %v", got)
	}
}

// A statement dropped from the cache while its rows are open is closed
// when they close, and the rows read to the end meanwhile.
func TestADroppedStatementClosesAfterItsRows(t *testing.T) {
	db := openOne(t, 2)
	insert(t, db, 3)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rs, err := tx.Query(selectSQL, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := 0; rs.Next(); i++ {
		var s string
		if err := rs.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
		for j := range 3 { // push selectSQL out of the cache
			if _, err := tx.Exec(fmt.Sprintf(`SELECT %d`, i*10+j)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := rs.Close(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"n0", "n1", "n2"}) {
		t.Errorf("got %v", got)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// A failed statement leaves the kept one ready for the next call.
func TestAFailedStatementCanRunAgain(t *testing.T) {
	db := openOne(t, 8)
	insert(t, db, 1)
	if _, err := db.Exec(insertSQL, "n0"); err == nil {
		t.Fatal("a duplicate name was inserted")
	}
	if _, err := db.Exec(insertSQL, "n1"); err != nil {
		t.Fatalf("after a failure: %v", err)
	}
	if _, err := db.Exec(`INSERT INTO nowhere VALUES (1)`); err == nil {
		t.Fatal("an insert into a missing table passed")
	}
	if got := names(t, db, selectSQL, 0); !slices.Equal(got, []string{"n0", "n1"}) {
		t.Errorf("got %v", got)
	}
}

// A kept statement sees a change of the schema made after it was prepared.
func TestAKeptStatementSeesSchemaChanges(t *testing.T) {
	db := openOne(t, 8)
	insert(t, db, 1)
	const all = `SELECT * FROM t`
	cols := func() []string {
		rs, err := db.Query(all)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		c, err := rs.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if got := cols(); len(got) != 2 {
		t.Fatalf("columns %v", got)
	}
	if _, err := db.Exec(`ALTER TABLE t ADD COLUMN note TEXT`); err != nil {
		t.Fatal(err)
	}
	if got := cols(); !slices.Equal(got, []string{"id", "name", "note"}) {
		t.Errorf("after ALTER: columns %v", got)
	}
}

// Several statements in one string run whole, every time.
func TestScriptsRunEveryTime(t *testing.T) {
	db := openOne(t, 8)
	const script = `INSERT INTO t (name) VALUES ('a' || (SELECT count(*) FROM t)); INSERT INTO t (name) VALUES ('b' || (SELECT count(*) FROM t))`
	for range 2 {
		if _, err := db.Exec(script); err != nil {
			t.Fatal(err)
		}
	}
	if got := names(t, db, selectSQL, 0); !slices.Equal(got, []string{"a0", "b1", "a2", "b3"}) {
		t.Errorf("got %v", got)
	}
}

// A canceled query leaves the kept statement usable.
func TestACanceledQueryLeavesTheStatementUsable(t *testing.T) {
	db := openOne(t, 8)
	insert(t, db, 3)
	ctx, cancel := context.WithCancel(context.Background())
	rs, err := db.QueryContext(ctx, selectSQL, 0)
	if err != nil {
		t.Fatal(err)
	}
	rs.Next()
	cancel()
	for rs.Next() {
	}
	if err := rs.Err(); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	_ = rs.Close()
	if got := names(t, db, selectSQL, 0); !slices.Equal(got, []string{"n0", "n1", "n2"}) {
		t.Errorf("after a canceled read: got %v", got)
	}
}
