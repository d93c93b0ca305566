package models

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"sync"

	sqlitedriver "modernc.org/sqlite"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// sqliteLower is the SQL function that folds text as PostgreSQL's lower()
// does. SQLite's built-in lower() folds ASCII letters only, while the store
// compares lowered columns with text lowered in Go: on SQLite the store
// calls this function instead, Go's strings.ToLower, so that a filter on
// "école" finds "École" on both databases.
const sqliteLower = dbconn.SQLiteLower

// registerSQLiteLower adds sqliteLower to the SQLite driver, once per
// process, before the first SQLite store opens its connections. The driver
// offers functions to every connection it opens after, and to no single
// one; the function has a name of its own, so SQLite's lower() is left as
// it is for any other user of the driver.
var registerSQLiteLower = sync.OnceValue(func() error {
	err := sqlitedriver.RegisterDeterministicScalarFunction(sqliteLower, 1, func(_ *sqlitedriver.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		}
		return args[0], nil
	})
	if err != nil {
		return fmt.Errorf("register %s: %w", sqliteLower, err)
	}
	return nil
})

// lower is the SQL that folds column's text on the store's database.
func (s conn) lower(column string) string {
	if s.postgres {
		return "LOWER(" + column + ")"
	}
	return sqliteLower + "(" + column + ")"
}
