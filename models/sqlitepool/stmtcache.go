package sqlitepool

import (
	"container/list"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	sqlite "modernc.org/sqlite"
)

// StmtsPerConn is how many prepared statements each connection keeps. The
// store sends a few dozen distinct statements in steady state (a batch
// insert of each length, an IN list of each length, and so on); the rest
// are prepared again when used.
const StmtsPerConn = 128

// Open opens a SQLite database whose connections keep the statements they
// have prepared (see Connector).
func Open(dsn string) (*sql.DB, error) {
	c, err := Connector(dsn, StmtsPerConn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}

// Connector opens SQLite connections (modernc.org/sqlite) that keep up to
// size prepared statements each, by their SQL, the least recently used
// dropped first. database/sql prepares a statement for every call that is
// not on a prepared *sql.Stmt, and gorm prepares none, so without this
// SQLite parses and plans every statement again each time it runs: a
// tenth of a node's CPU while it takes in activities.
//
// A statement that is still reading rows when the same SQL is asked for
// again on its connection (a query inside a loop over the same query's
// rows, in one transaction) is not shared: the second call prepares a
// statement of its own, as it would without the cache.
func Connector(dsn string, size int) (driver.Connector, error) {
	c, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return connector{Connector: c, size: max(size, 1)}, nil
}

type connector struct {
	driver.Connector
	size int
}

// Connect opens a connection and gives it its statement cache.
func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	inner, ok := dc.(innerConn)
	if !ok {
		_ = dc.Close()
		return nil, fmt.Errorf("sqlite: connection %T lacks the context methods", dc)
	}
	return &conn{innerConn: inner, size: c.size, byQuery: map[string]*list.Element{}, lru: list.New()}, nil
}

// innerConn is what the driver's connection offers, and conn passes on.
type innerConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// innerStmt is what the driver's statements offer.
type innerStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// conn is a connection with its cache. database/sql uses a connection from
// one goroutine at a time (it holds the connection's lock around every
// call, including the calls on rows), so the cache needs no lock of its own.
type conn struct {
	innerConn
	size    int
	byQuery map[string]*list.Element // of *cached
	lru     *list.List               // most recently used first
}

type cached struct {
	query   string
	stmt    innerStmt
	reading bool // rows of it are open
	dropped bool // out of the cache: close once its rows are
}

// stmt returns the cached statement for query, preparing and keeping it
// if it is new, or nil if it is reading rows: the caller then runs query
// without the cache.
func (c *conn) stmt(ctx context.Context, query string) (*cached, error) {
	if e, ok := c.byQuery[query]; ok {
		s := e.Value.(*cached)
		if s.reading {
			return nil, nil
		}
		c.lru.MoveToFront(e)
		return s, nil
	}
	ds, err := c.innerConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	is, ok := ds.(innerStmt)
	if !ok {
		_ = ds.Close()
		return nil, fmt.Errorf("sqlite: statement %T lacks the context methods", ds)
	}
	s := &cached{query: query, stmt: is}
	c.byQuery[query] = c.lru.PushFront(s)
	for c.lru.Len() > c.size {
		c.drop(c.lru.Back())
	}
	return s, nil
}

// drop takes e out of the cache and closes its statement, at once or, if
// rows of it are open, when they close.
func (c *conn) drop(e *list.Element) {
	s := c.lru.Remove(e).(*cached)
	delete(c.byQuery, s.query)
	s.dropped = true
	if !s.reading {
		_ = s.stmt.Close()
	}
}

// ExecContext runs query on its cached statement.
func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.innerConn.ExecContext(ctx, query, args)
	}
	return s.stmt.ExecContext(ctx, args)
}

// QueryContext runs query on its cached statement, which reads the rows
// until they are closed.
func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.innerConn.QueryContext(ctx, query, args)
	}
	rs, err := s.stmt.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	inner, ok := rs.(innerRows)
	if !ok {
		_ = rs.Close()
		return nil, fmt.Errorf("sqlite: rows %T lack the column type methods", rs)
	}
	s.reading = true
	return &rows{innerRows: inner, s: s}, nil
}

// Close closes the cached statements, then the connection.
func (c *conn) Close() error {
	var errs []error
	for e := c.lru.Front(); e != nil; e = e.Next() {
		errs = append(errs, e.Value.(*cached).stmt.Close())
	}
	c.byQuery, c.lru = map[string]*list.Element{}, list.New()
	return errors.Join(append(errs, c.innerConn.Close())...)
}

// innerRows is what the driver's rows offer: gorm reads the column types.
type innerRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// rows frees its statement for the next call when closed.
type rows struct {
	innerRows
	s *cached
}

func (r *rows) Close() error {
	err := r.innerRows.Close()
	if r.s != nil {
		r.s.reading = false
		if r.s.dropped {
			err = errors.Join(err, r.s.stmt.Close())
		}
		r.s = nil
	}
	return err
}
