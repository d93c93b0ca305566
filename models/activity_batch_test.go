package models_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/libtnb/sqlite"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

func received(iri string) *models.Activity {
	return &models.Activity{IRI: iri, Type: "Create", ActorIRI: "https://peer.example/u", Payload: "{}"}
}

// A batch is stored in one commit; a repeat, of an activity stored before
// or of one earlier in the same batch, is reported as not inserted.
func TestRecordBatch(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		if ok, err := s.Activities.Record(ctx, received("https://peer.example/act/0")); !ok || err != nil {
			t.Fatalf("record: %v, %v", ok, err)
		}
		batch := []*models.Activity{
			received("https://peer.example/act/1"),
			received("https://peer.example/act/0"), // stored before
			received("https://peer.example/act/2"),
			received("https://peer.example/act/1"), // earlier in the batch
		}
		got := s.Activities.RecordBatch(ctx, batch)
		want := []bool{true, false, true, false}
		if len(got) != len(want) {
			t.Fatalf("%d results for %d activities", len(got), len(want))
		}
		for i, r := range got {
			if r.Err != nil || r.Inserted != want[i] {
				t.Errorf("activity %d (%s): %+v, want inserted=%v", i, batch[i].IRI, r, want[i])
			}
		}
		counts, err := s.Activities.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[models.ActivityPending] != 3 {
			t.Errorf("%d activities stored, want 3", counts[models.ActivityPending])
		}
		a, err := s.Activities.ByIRI(ctx, "https://peer.example/act/2")
		if err != nil || a.ID == 0 || a.State != models.ActivityPending || a.ReceivedAt.IsZero() {
			t.Errorf("a stored activity: %+v, %v", a, err)
		}
	})
}

// When one row of a batch cannot be stored, the others are, and only
// that row's result holds an error.
func TestRecordBatchFailingRow(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		refuseBadRows(t, db)
		var batch []*models.Activity
		for i := 0; i < 5; i++ {
			iri := fmt.Sprintf("https://peer.example/act/%d", i)
			if i == 2 {
				iri += "/bad"
			}
			batch = append(batch, received(iri))
		}
		got := s.Activities.RecordBatch(ctx, batch)
		for i, r := range got {
			if i == 2 {
				if r.Err == nil || r.Inserted {
					t.Errorf("the bad row: %+v, want an error", r)
				}
				continue
			}
			if r.Err != nil || !r.Inserted {
				t.Errorf("activity %d: %+v, want inserted", i, r)
			}
			if _, err := s.Activities.ByIRI(ctx, batch[i].IRI); err != nil {
				t.Errorf("activity %d not stored: %v", i, err)
			}
		}
		// A batch of the bad row alone fails it, and nothing else.
		one := s.Activities.RecordBatch(ctx, []*models.Activity{received("https://peer.example/act/9/bad")})
		if one[0].Err == nil || one[0].Inserted {
			t.Errorf("a lone bad row: %+v, want an error", one[0])
		}
	})
}

// refuseBadRows makes the database refuse to store an activity whose IRI
// ends in /bad.
func refuseBadRows(t *testing.T, db testrig.DB) {
	t.Helper()
	stmts := []string{
		`CREATE TRIGGER refuse_bad BEFORE INSERT ON activities WHEN NEW.iri LIKE '%/bad' BEGIN SELECT RAISE(ABORT, 'refused'); END`,
	}
	if db.Name == "postgres" {
		stmts = []string{
			`CREATE FUNCTION refuse_bad() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`,
			`CREATE TRIGGER refuse_bad BEFORE INSERT ON activities FOR EACH ROW WHEN (NEW.iri LIKE '%/bad') EXECUTE FUNCTION refuse_bad()`,
		}
	}
	side := sideDB(t, db)
	for _, q := range stmts {
		if _, err := side.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// sideDB is a connection pool of its own to db, beside the store's, for
// what the store does not offer (a trigger, a count of a table it keeps
// to itself); closed when the test ends.
func sideDB(t *testing.T, db testrig.DB) *sql.DB {
	t.Helper()
	driver := sqlite.DriverName
	if db.Name == "postgres" {
		driver = "pgx"
	}
	side, err := sql.Open(driver, db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = side.Close() })
	return side
}
