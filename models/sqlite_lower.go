package models

import (
	"database/sql/driver"
	"strings"

	sqlitedriver "github.com/glebarez/go-sqlite"
)

// SQLite's built-in lower() folds ASCII letters only, while PostgreSQL's
// folds every letter. The store compares LOWER(column) with text lowered in
// Go, so on SQLite lower() is replaced by Go's strings.ToLower: a filter on
// "école" then finds "École" on both databases. Functions registered with
// the driver apply to every connection opened after, and this runs before
// any is opened.
func init() {
	sqlitedriver.MustRegisterDeterministicScalarFunction("lower", 1, func(_ *sqlitedriver.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		}
		return args[0], nil
	})
}
