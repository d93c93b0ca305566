// Package models holds Pollen's database rows and the store that reads and
// writes them, on SQLite (the embedded default) or PostgreSQL. It knows
// nothing of HTTP or ActivityPub.
package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/models/accounts"
	"github.com/pollen-coop/pollen/models/casesearch"
	"github.com/pollen-coop/pollen/models/dbconn"
	"github.com/pollen-coop/pollen/models/discussion"
	"github.com/pollen-coop/pollen/models/media"
	"github.com/pollen-coop/pollen/models/network"
	"github.com/pollen-coop/pollen/models/notices"
	"github.com/pollen-coop/pollen/models/policy"
	"github.com/pollen-coop/pollen/models/profile"
	"github.com/pollen-coop/pollen/models/queue"
	"github.com/pollen-coop/pollen/models/sqlitepool"

	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Sentinel errors returned by the store; check them with errors.Is.
var (
	// ErrNotFound means no row matched.
	ErrNotFound = dbconn.ErrNotFound
	// ErrConflict means a unique value (a slug, a name, an ID) is taken.
	ErrConflict = dbconn.ErrConflict
	// ErrGone means the row existed and was deleted; its ID is not reused.
	ErrGone = dbconn.ErrGone
	// ErrInTransaction means the store is a transaction's (Atomically)
	// and cannot do what was asked: close the connections.
	ErrInTransaction = errors.New("store of a transaction")
)

// Store is the database of one node: the connections, the schema and
// transactions. What it holds is reached through one store per resource,
// all opened together and sharing the connections (and, in a store
// Atomically hands out, the transaction). Its methods and those of its
// resource stores are safe for concurrent use.
type Store struct {
	conn
	// reader is SQLite's pool of read-only connections (nil on
	// PostgreSQL and for an in-memory database).
	reader *sql.DB
	// inTx marks the store Atomically hands out: it cannot be closed.
	inTx bool

	// Actors holds this node's actors and the remote ones it knows.
	Actors *ActorStore
	// CaseStudies holds this node's case studies and the received ones.
	CaseStudies *CaseStudyStore
	// Follows holds the follows between this node's actors and peers.
	Follows *FollowStore
	// Activities holds the activities received in inboxes.
	Activities *ActivityStore
	// Deliveries holds the queue of activities to deliver.
	Deliveries *queue.DeliveryStore
	// Notes holds the notes: this node's and received ones, the
	// discussions of case studies among them.
	Notes *NoteStore
	// Announces holds the announces (boosts) of case studies.
	Announces *AnnounceStore
	// Timelines reads the statuses of every kind as Mastodon's timelines
	// show them.
	Timelines *TimelineStore
	// Notifications holds what the organisation is notified of.
	Notifications *notices.NotificationStore
	// Audit holds the audit log of the staff's changes.
	Audit *accounts.AuditStore
	// Markers holds the users' read positions and the idempotency keys of
	// their posts.
	Markers *notices.MarkerStore
	// Discussion holds the received notes as the staff moderate them.
	Discussion *discussion.Store
	// Tokens holds the API tokens.
	Tokens *accounts.TokenStore
	// Processes holds the node processes that claim work.
	Processes *ProcessStore
	// Users holds the staff's user accounts.
	Users *accounts.UserStore
	// Sessions holds the users' signed-in sessions.
	Sessions *accounts.SessionStore
	// Throttles holds the counts of failed sign-ins.
	Throttles *accounts.ThrottleStore
	// Apps holds the OAuth apps that clients registered.
	Apps *accounts.AppStore
	// OAuthCodes holds the authorisation codes waiting to be exchanged.
	OAuthCodes *accounts.OAuthCodeStore
	// OAuthTokens holds the apps' access tokens.
	OAuthTokens *accounts.OAuthTokenStore
	// Policy holds the federation policy's rules: blocked and allowed
	// domains, blocked actors.
	Policy *policy.Store
	// Topics holds a hub's topic actors, one per service area.
	Topics *network.TopicStore
	// Nodes holds the directory of the nodes this node knows.
	Nodes *network.NodeStore
	// Profile holds the organisation's profile as the staff saved it.
	Profile *profile.Store
	// Media holds the rows of the uploaded images and PDFs.
	Media *media.Store
}

// conn is what every resource store of one Store shares: the database
// (a transaction, in a store Atomically hands out), its dialect, and the
// clock every time the store writes is read from.
type conn struct {
	db       *gorm.DB
	postgres bool
	now      func() time.Time
	changes  *dbconn.Changes // the committed writes of this process
	// counts keeps the counts of every case study between changes; nil in
	// a transaction, whose reads may see writes that are rolled back.
	counts *casesearch.Counts
}

// newStore makes the store over c with its resource stores.
func newStore(c conn, reader *sql.DB, inTx bool) *Store {
	if inTx {
		c.counts = nil
	}
	sub := dbconn.Conn{DB: c.db, Postgres: c.postgres, Now: c.now, Changes: c.changes}
	return &Store{
		conn: c, reader: reader, inTx: inTx,
		Actors:        &ActorStore{c},
		CaseStudies:   &CaseStudyStore{c},
		Follows:       &FollowStore{c},
		Activities:    &ActivityStore{c},
		Deliveries:    &queue.DeliveryStore{Conn: sub},
		Notes:         &NoteStore{c},
		Announces:     &AnnounceStore{c},
		Timelines:     &TimelineStore{c},
		Notifications: &notices.NotificationStore{Conn: sub},
		Markers:       &notices.MarkerStore{Conn: sub},
		Discussion:    &discussion.Store{Conn: sub},
		Audit:         &accounts.AuditStore{Conn: sub},
		Tokens:        &accounts.TokenStore{Conn: sub},
		Processes:     &ProcessStore{c},
		Users:         &accounts.UserStore{Conn: sub},
		Sessions:      &accounts.SessionStore{Conn: sub},
		Throttles:     &accounts.ThrottleStore{Conn: sub},
		Apps:          &accounts.AppStore{Conn: sub},
		OAuthCodes:    &accounts.OAuthCodeStore{Conn: sub},
		OAuthTokens:   &accounts.OAuthTokenStore{Conn: sub},
		Policy:        &policy.Store{Conn: sub},
		Topics:        &network.TopicStore{Conn: sub},
		Nodes:         &network.NodeStore{Conn: sub},
		Profile:       &profile.Store{Conn: sub},
		Media:         &media.Store{Conn: sub},
	}
}

// Option changes a store made by Open.
type Option func(*options)

type options struct {
	now      func() time.Time
	maxConns int
}

// WithMaxConns sets the PostgreSQL pool's size (default 32, the inbox's
// concurrency); SQLite has one writer connection whatever n is.
func WithMaxConns(n int) Option { return func(o *options) { o.maxConns = max(n, 1) } }

// WithClock sets the clock the store reads for the times it writes
// (created and updated times, claims, tombstones); the default is
// time.Now. The node gives its service and its store the same clock.
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.now = now }
}

// Open connects to dsn: a postgres:// (or postgresql://) URL, or otherwise a
// SQLite file path (":memory:" for a private in-memory database). Parent
// folders of a SQLite file are created. It does not migrate; call Migrate.
// It returns the database's error when it cannot connect.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	o := options{now: time.Now, maxConns: 32}
	for _, opt := range opts {
		opt(&o)
	}
	cfg := &gorm.Config{
		Logger:                                   logger.Discard,
		NowFunc:                                  func() time.Time { return o.now().UTC().Truncate(time.Microsecond) },
		DisableForeignKeyConstraintWhenMigrating: true,
		TranslateError:                           true,
		// Every write the store makes outside s.tx is one statement, atomic
		// on its own: gorm's BEGIN/COMMIT around it cost two round trips
		// and, on SQLite, a statement journal.
		SkipDefaultTransaction: true,
	}
	var (
		db  *gorm.DB
		err error
	)
	isPG := strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
	var reader *sql.DB
	if !isPG {
		if err := registerSQLiteLower(); err != nil {
			return nil, fmt.Errorf("store: open: %w", err)
		}
	}
	switch {
	case isPG:
		db, err = gorm.Open(postgres.Open(dsn), cfg)
	case dsn == ":memory:" || strings.HasPrefix(dsn, "file:"):
		// A private in-memory database cannot be shared between pools.
		db, err = gorm.Open(sqlite.Open(sqliteDSN(dsn)), cfg)
	default:
		db, reader, err = openSQLite(dsn, cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	if isPG {
		// Every connection stays idle for the next burst (a new PostgreSQL
		// session is a process fork), renewed every half hour.
		sqlDB.SetMaxOpenConns(o.maxConns)
		sqlDB.SetMaxIdleConns(o.maxConns)
		sqlDB.SetConnMaxIdleTime(time.Hour)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
	} else {
		// SQLite has one writer: one connection serialises writes in the
		// process instead of failing them with SQLITE_BUSY.
		sqlDB.SetMaxOpenConns(1)
	}
	changes := &dbconn.Changes{}
	if err := changes.Watch(db); err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	s := newStore(conn{db: db, postgres: isPG, now: o.now, changes: changes, counts: casesearch.NewCounts(o.now)}, reader, false)
	if err := s.Ping(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// openSQLite opens a SQLite file with one writer connection and a pool of
// read-only connections for SELECTs outside transactions.
func openSQLite(path string, cfg *gorm.Config) (*gorm.DB, *sql.DB, error) {
	dsn := sqliteDSN(path)
	writer, err := sqlitepool.Open(dsn)
	if err != nil {
		return nil, nil, err
	}
	reader, err := sqlitepool.Open(dsn + "&_pragma=query_only(1)")
	if err != nil {
		_ = writer.Close()
		return nil, nil, err
	}
	reader.SetMaxOpenConns(4)
	reader.SetMaxIdleConns(4)
	db, err := gorm.Open(sqlite.Dialector{DriverName: sqlite.DriverName, DSN: dsn, Conn: sqlitepool.Split{Writer: writer, Reader: reader}}, cfg)
	if err != nil {
		_ = reader.Close()
		_ = writer.Close()
		return nil, nil, err
	}
	return db, reader, nil
}

func sqliteDSN(path string) string {
	pragmas := "_time_format=sqlite&_texttotime=1&_inttotime=1&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)"
	if path == ":memory:" {
		return "file::memory:?" + pragmas
	}
	if strings.HasPrefix(path, "file:") {
		return path
	}
	if dir := filepath.Dir(path); dir != "" {
		_ = os.MkdirAll(dir, 0o750)
	}
	return "file:" + path + "?" + pragmas + "&_pragma=journal_mode(WAL)&_txlock=immediate"
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Close closes the connections. It returns ErrInTransaction for the store of a transaction
// (Atomically), which ends with its transaction and leaves the
// connections open.
func (s *Store) Close() error {
	if s.inTx {
		return fmt.Errorf("store: close: %w", ErrInTransaction)
	}
	if s.reader != nil {
		_ = s.reader.Close()
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// translate maps gorm's errors to the store's sentinels, wrapped with what
// was being done.
func translate(err error, format string, args ...any) error {
	return dbconn.Translate(err, format, args...)
}

// tx runs fn in a transaction bound to ctx.
func (s conn) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.changes.Tx(s.db.WithContext(ctx), fn)
}

// Changes returns how many writes to the rows the node shows this process
// has committed (dbconn.Changes): what a cache of pages built from the
// store is checked against. Writes by other processes are not counted.
func (s *Store) Changes() uint64 { return s.changes.Count() }

// Dialect names the database: "postgres" or "sqlite".
func (s *Store) Dialect() string {
	if s.postgres {
		return "postgres"
	}
	return "sqlite"
}

// Atomically runs fn with a store whose methods, and those of its resource
// stores, all work in one transaction: every write fn makes lands, or none
// does. It returns fn's error, or the commit's. Every method of the store
// fn gets is safe to call and reads and writes in the transaction:
// Activities.Record and RecordBatch store the activities in it, a nested
// Atomically is a savepoint, and Close returns ErrInTransaction
// instead of closing the connections the main store shares. The store is
// not to be kept past fn.
func (s *Store) Atomically(ctx context.Context, fn func(tx *Store) error) error {
	return s.changes.Tx(s.db.WithContext(ctx), func(tx *gorm.DB) error {
		return fn(newStore(conn{db: tx, postgres: s.postgres, now: s.now, changes: s.changes}, nil, true))
	})
}
