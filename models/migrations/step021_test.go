package migrations_test

import (
	"testing"
	"time"

	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/pollen-coop/pollen/models/migrations"
	"github.com/pollen-coop/pollen/testrig"
)

// upTo applies the steps before version to db, each in a transaction.
func upTo(t *testing.T, db *gorm.DB, version int) {
	t.Helper()
	for _, s := range migrations.Steps {
		if s.Version >= version {
			return
		}
		if err := db.Transaction(s.Up); err != nil {
			t.Fatalf("step %d: %v", s.Version, err)
		}
	}
}

// step returns the step of version.
func step(t *testing.T, version int) migrations.Step {
	t.Helper()
	for _, s := range migrations.Steps {
		if s.Version == version {
			return s
		}
	}
	t.Fatalf("no step %d", version)
	return migrations.Step{}
}

func open(t *testing.T, db testrig.DB) *gorm.DB {
	t.Helper()
	if db.Name == "sqlite" {
		// A store opened once registers the SQL functions the steps use.
		testrig.Store(t, testrig.SQLite(t))
	}
	dial := sqlite.Open("file:" + db.DSN + "?_time_format=sqlite&_texttotime=1&_pragma=foreign_keys(1)")
	if db.Name == "postgres" {
		dial = postgres.Open(db.DSN)
	}
	g, err := gorm.Open(dial, &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := g.DB()
	sqlDB.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = sqlDB.Close() })
	return g
}

// Step 21 moves each activity's payload out of its jobs, once, from its
// latest job, and drops the column; the jobs are otherwise untouched.
func TestStep021MovesPayloads(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, tdb testrig.DB) {
		db := open(t, tdb)
		upTo(t, db, 21)
		insert := `INSERT INTO deliveries (activity_id, inbox, host, signer_actor_id, payload, state, attempts, next_attempt_at, locked_by, last_status, last_error, created_at, updated_at)
			VALUES (?, ?, ?, 1, ?, ?, 0, ?, '', 0, '', ?, ?)`
		t0 := time.Now().UTC()
		rows := []struct{ act, host, payload, state string }{
			{"https://a.example/act/1", "b.example", `{"v":1}`, "done"},
			{"https://a.example/act/1", "c.example", `{"v":1}`, "pending"},
			{"https://a.example/act/1", "d.example", `{"v":2}`, "dead"},
			{"https://a.example/act/2", "b.example", `{"w":1}`, "retrying"},
		}
		for i, r := range rows {
			at := t0.Add(-time.Duration(len(rows)-i) * time.Minute)
			inbox := "https://" + r.host + "/inbox"
			if err := db.Exec(insert, r.act, inbox, r.host, []byte(r.payload), r.state, at, at, at).Error; err != nil {
				t.Fatalf("insert: %v", err)
			}
		}
		if err := db.Transaction(step(t, 21).Up); err != nil {
			t.Fatalf("step 21: %v", err)
		}
		var got []struct {
			ActivityID string
			Payload    []byte
		}
		if err := db.Raw(`SELECT activity_id, payload FROM delivery_payloads ORDER BY activity_id`).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || string(got[0].Payload) != `{"v":2}` || string(got[1].Payload) != `{"w":1}` {
			t.Errorf("payloads after step 21: %+v; want act/1's latest {\"v\":2} and act/2's", got)
		}
		var n int64
		if err := db.Raw(`SELECT COUNT(*) FROM deliveries`).Scan(&n).Error; err != nil || n != 4 {
			t.Errorf("jobs after step 21: %d, %v; want the 4", n, err)
		}
		if db.Migrator().HasColumn("deliveries", "payload") {
			t.Errorf("deliveries still has its payload column")
		}
	})
}
