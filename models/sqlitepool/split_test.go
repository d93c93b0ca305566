package sqlitepool

import (
	"database/sql"
	"testing"
)

func TestSplitPoolRoutesSelectsToReaders(t *testing.T) {
	w, r := &sql.DB{}, &sql.DB{}
	p := Split{Writer: w, Reader: r}
	for q, want := range map[string]*sql.DB{
		"SELECT * FROM actors":                                 r,
		"  select count(*) from deliveries":                    r,
		"(SELECT 1) UNION (SELECT 2)":                          r,
		"INSERT INTO activities (iri) VALUES (?) RETURNING id": w,
		"UPDATE deliveries SET state = ?":                      w,
		"DELETE FROM follows":                                  w,
		"WITH x AS (DELETE FROM t RETURNING id) SELECT 1":      w,
		"PRAGMA journal_mode":                                  w,
		"CREATE TABLE t (id integer)":                          w,
		"sel":                                                  w,
	} {
		if got := p.pick(q); got != want {
			t.Errorf("%q went to the wrong pool", q)
		}
	}
}
