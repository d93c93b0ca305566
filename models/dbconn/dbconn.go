// Package dbconn is what every store of package models and its
// subpackages shares: the connection, its dialect and clock, and the
// errors a store returns.
package dbconn

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Sentinel errors returned by the stores; check them with errors.Is.
var (
	// ErrNotFound means no row matched.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a unique value (a slug, a name, an ID) is taken.
	ErrConflict = errors.New("already exists")
	// ErrGone means the row existed and was deleted; its ID is not reused.
	ErrGone = errors.New("gone")
)

// Conn is the database of a store (a transaction, in a store a
// transaction hands out), its dialect, and the clock every time the store
// writes is read from.
type Conn struct {
	DB       *gorm.DB
	Postgres bool
	Now      func() time.Time
	// Changes counts the committed writes of the process (nil: none).
	Changes *Changes
}

// Tx runs fn in a transaction bound to ctx, counted in c.Changes when it
// commits.
func (c Conn) Tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return c.Changes.Tx(c.DB.WithContext(ctx), fn)
}

// Translate wraps a database error with what was being done, mapping a
// missing row to ErrNotFound and a duplicate key to ErrConflict; nil
// stays nil.
func Translate(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	what := fmt.Sprintf(format, args...)
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("store: %s: %w", what, ErrNotFound)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("store: %s: %w", what, ErrConflict)
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// FreeClaim is the condition that a row is held by no one: never claimed,
// its lease over (expired, given the lease's end), or, when staleBefore
// is set, held by a process whose heartbeat is older than staleBefore.
func FreeClaim(expired string, now, staleBefore time.Time) (string, []any) {
	cond, args := "(locked_until IS NULL OR "+expired, []any{now}
	if !staleBefore.IsZero() {
		cond += " OR locked_by IN (SELECT id FROM processes WHERE heartbeat_at < ?)"
		args = append(args, DBTime(staleBefore))
	}
	return cond + ")", args
}

// DBTime is t as both databases keep it: UTC, to the microsecond. SQLite
// compares times as text, so every time written or compared must be in the
// same zone.
func DBTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
