package models

import (
	"context"
	"os"
	"sync"
	"testing"
)

// On PostgreSQL, bursts of more queries than the pool has connections open
// at most the pool's size, and every connection opened stays for the next
// burst: none is closed as surplus idle. (SQLite has one writer connection.)
func TestPostgresPoolKeepsItsConnections(t *testing.T) {
	dsn := os.Getenv("POLLEN_TEST_DATABASE_URL")
	if dsn == "" {
		t.Skip("POLLEN_TEST_DATABASE_URL is not set")
	}
	ctx := context.Background()
	const size = 6
	s, err := Open(ctx, dsn, WithMaxConns(size))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	sqlDB, err := s.db.DB()
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		var wg sync.WaitGroup
		for range 4 * size {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.db.WithContext(ctx).Exec("SELECT pg_sleep(0)").Error; err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	st := sqlDB.Stats()
	if st.MaxOpenConnections != size {
		t.Errorf("MaxOpenConnections = %d, want %d", st.MaxOpenConnections, size)
	}
	if st.MaxIdleClosed != 0 || st.MaxIdleTimeClosed != 0 || st.MaxLifetimeClosed != 0 {
		t.Errorf("connections closed between bursts: %+v", st)
	}
	if st.OpenConnections > size || st.Idle != st.OpenConnections {
		t.Errorf("after the bursts: %d open, %d idle, want all idle and at most %d", st.OpenConnections, st.Idle, size)
	}
}
