package dbconn

import (
	"database/sql"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"
)

// quietTables hold rows that no page, feed or timeline shows: the queues,
// the heartbeats, the staff's sessions and the client API's bookkeeping.
// A write to one of them is not a change a cached page must see.
var quietTables = map[string]bool{
	"activities": true, "deliveries": true, "processes": true, "sessions": true,
	"sign_in_throttles": true, "oauth_codes": true, "markers": true,
	"idempotency_keys": true, "notifications": true, "audit_entries": true,
}

// Changes counts the writes this process has committed to the rows the
// node shows (everything but quietTables), so that a cache of what is
// built from them can tell in one atomic load whether it is still
// current: an answer built after reading Count is current while Count
// stays the same. A write made in a transaction counts when the
// transaction commits, never before, so an answer built from the
// uncommitted state cannot outlive the commit. Writes by other processes
// are not counted. A nil *Changes counts nothing.
type Changes struct {
	n atomic.Uint64
	// open maps the transactions Tx runs to whether they have written.
	open sync.Map // *sql.Tx → *atomic.Bool
}

// Count returns the number of committed changes so far.
func (c *Changes) Count() uint64 {
	if c == nil {
		return 0
	}
	return c.n.Load()
}

// Watch registers c's callbacks on db, after every create, update,
// delete and raw statement (Exec); every session and transaction of db
// runs them.
func (c *Changes) Watch(db *gorm.DB) error {
	cb := db.Callback()
	if err := cb.Create().After("gorm:create").Register("pollen:changes", c.wrote); err != nil {
		return err
	}
	if err := cb.Update().After("gorm:update").Register("pollen:changes", c.wrote); err != nil {
		return err
	}
	if err := cb.Delete().After("gorm:delete").Register("pollen:changes", c.wrote); err != nil {
		return err
	}
	return cb.Raw().After("gorm:raw").Register("pollen:changes", c.wrote)
}

// wrote counts a statement that wrote: at once outside a transaction
// (it committed with the statement), at the commit inside one that Tx
// runs. A statement inside a transaction that Tx does not run (a
// migration) counts at once, and again when anything else commits.
func (c *Changes) wrote(db *gorm.DB) {
	if quietTables[db.Statement.Table] {
		return
	}
	if tx, ok := db.Statement.ConnPool.(*sql.Tx); ok {
		if dirty, ok := c.open.Load(tx); ok {
			dirty.(*atomic.Bool).Store(true)
			return
		}
	}
	c.n.Add(1)
}

// Tx runs fn in a transaction of db and counts one change when it
// commits after fn wrote. In a transaction already (a savepoint), it runs
// fn and leaves the counting to the outer transaction's commit.
func (c *Changes) Tx(db *gorm.DB, fn func(tx *gorm.DB) error) error {
	if _, nested := db.Statement.ConnPool.(*sql.Tx); c == nil || nested {
		return db.Transaction(fn)
	}
	var (
		tx    *sql.Tx
		dirty atomic.Bool
	)
	err := db.Transaction(func(gtx *gorm.DB) error {
		if t, ok := gtx.Statement.ConnPool.(*sql.Tx); ok {
			tx = t
			c.open.Store(tx, &dirty)
		}
		return fn(gtx)
	})
	if tx != nil {
		c.open.Delete(tx)
	}
	if err == nil && dirty.Load() {
		c.n.Add(1)
	}
	return err
}
