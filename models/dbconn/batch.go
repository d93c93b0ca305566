package dbconn

import (
	"sync"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// The bound values one INSERT of a batch holds at most: the SQLite
// driver finds each value's place among all of a statement's values
// (glebarez/go-sqlite's bind), a time that grows with their square, so
// its statements stay short; PostgreSQL's take many rows.
const (
	sqliteValuesPerInsert   = 200
	postgresValuesPerInsert = 3_500
)

// schemas caches the tables' columns that Columns parses.
var schemas sync.Map

// Columns is the number of columns gorm inserts for model.
func Columns(tx *gorm.DB, model any) int {
	sch, err := schema.Parse(model, &schemas, tx.NamingStrategy)
	if err != nil {
		return 50
	}
	return len(sch.DBNames)
}

// RowsPerInsert is how many rows of the given number of columns one
// INSERT of a batch in tx holds.
func RowsPerInsert(tx *gorm.DB, columns int) int {
	if tx.Dialector.Name() == "postgres" {
		return max(1, postgresValuesPerInsert/columns)
	}
	return max(1, sqliteValuesPerInsert/columns)
}
