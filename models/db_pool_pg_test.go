package models_test

import (
	"context"
	"sync"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// A burst of more queries than the pool has connections opens at most the
// pool's size, and keeps every connection it opened for the next burst.
func TestPostgresPoolKeepsItsConnections(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		if db.Name != "postgres" {
			t.Skip("SQLite has one writer connection")
		}
		ctx := context.Background()
		const size = 6
		s, err := models.Open(ctx, db.DSN, models.WithMaxConns(size))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for burst := 0; burst < 3; burst++ {
			var wg sync.WaitGroup
			for range 4 * size {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, _, err := s.CaseStudies.CountLocal(ctx); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
		}
		st := s.PoolStats()
		if st.MaxOpenConnections != size {
			t.Errorf("MaxOpenConnections = %d, want %d", st.MaxOpenConnections, size)
		}
		if st.MaxIdleClosed != 0 || st.MaxIdleTimeClosed != 0 || st.MaxLifetimeClosed != 0 {
			t.Errorf("connections closed between bursts: %+v", st)
		}
		if st.OpenConnections > size || st.Idle != st.OpenConnections {
			t.Errorf("after the bursts: %d open, %d idle, want all idle and at most %d", st.OpenConnections, st.Idle, size)
		}
	})
}
