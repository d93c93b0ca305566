package dbconn

import (
	"sync"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// The bound values one INSERT of a batch holds at most. SQLite's stay
// short: parsing a statement costs in proportion to its values, and each
// length of a batch is a statement of its own that every connection
// prepares once and keeps (models/sqlitepool); PostgreSQL's take many
// rows, each statement a round trip.
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
