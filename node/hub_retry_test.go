package node_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// failAnnounces makes the database refuse to queue any delivery of an
// Announce, by a trigger on the deliveries table, until the returned
// function drops it.
func failAnnounces(t *testing.T, db testrig.DB) (stop func()) {
	t.Helper()
	var (
		conn         *gorm.DB
		err          error
		create, drop []string
	)
	cfg := &gorm.Config{Logger: logger.Discard}
	if db.Name == "postgres" {
		conn, err = gorm.Open(postgres.Open(db.DSN), cfg)
		create = []string{
			`CREATE FUNCTION fail_announce() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				IF NEW.activity_id LIKE '%/announces/%' THEN RAISE EXCEPTION 'injected failure'; END IF;
				RETURN NEW;
			END $$`,
			`CREATE TRIGGER fail_announce BEFORE INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION fail_announce()`,
		}
		drop = []string{`DROP TRIGGER fail_announce ON deliveries`}
	} else {
		conn, err = gorm.Open(sqlite.Open("file:"+db.DSN+"?_pragma=busy_timeout(10000)"), cfg)
		create = []string{`CREATE TRIGGER fail_announce BEFORE INSERT ON deliveries
			WHEN NEW.activity_id LIKE '%/announces/%'
			BEGIN SELECT RAISE(ABORT, 'injected failure'); END`}
		drop = []string{`DROP TRIGGER fail_announce`}
	}
	if err != nil {
		t.Fatalf("open %s: %v", db.Name, err)
	}
	sqlDB, err := conn.DB()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sqlDB.Close() })
	for _, q := range create {
		if err := conn.Exec(q).Error; err != nil {
			t.Fatalf("create the trigger: %v", err)
		}
	}
	return func() {
		for _, q := range drop {
			if err := conn.Exec(q).Error; err != nil {
				t.Fatalf("drop the trigger: %v", err)
			}
		}
	}
}

// TestHubAnnounceSurvivesAFailure: a hub whose database refuses to queue
// its Announce the first time it stores a case study keeps neither the
// case study nor the Announce; the retry stores both, and the hub's
// follower gets the Announce exactly once.
func TestHubAnnounceSurvivesAFailure(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		a := testrig.StartNode(t, testrig.Options{DB: testrig.Fresh(t, db.Name), Configure: fast})
		hubDB := testrig.Fresh(t, db.Name)
		h := testrig.StartNode(t, testrig.Options{DB: hubDB, Configure: hub})
		rm := testrig.StartRemote(t)
		rm.Follow(t, h)
		follow(t, h, a)
		settled(t, h) // the backfill is over: the case study comes by its Create

		stop := failAnnounces(t, hubDB)
		cs := publish(t, a, "Announced after a failure")
		id := cs["id"].(string)
		ctx := context.Background()
		testrig.Eventually(t, "the hub's first try at the Create fails", func() bool {
			act, err := h.Store.Activities.ByIRI(ctx, id+"#create")
			return err == nil && act.Attempts >= 1 && strings.Contains(act.Error, "injected failure")
		})
		if _, err := h.Store.CaseStudies.ByIRI(ctx, id); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("after the failed try the hub has the case study (err %v): the retry would not announce it", err)
		}
		stop()

		annID := announceID(h, id)
		testrig.Eventually(t, "the retry announces the case study", func() bool {
			return processed(t, h, id+"#create") && queueEmpty(t, h) && len(rm.Received("Announce")) > 0
		})
		if got := rm.Received("Announce"); len(got) != 1 || got[0].ID != annID {
			t.Errorf("the follower got %d Announces, want one, %s", len(got), annID)
		}
		jobs, err := h.Store.Deliveries.Of(ctx, annID)
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) != 1 || jobs[0].State != models.DeliveryDone || jobs[0].Attempts != 1 {
			t.Errorf("the Announce's deliveries: %+v, want one, done after one attempt", jobs)
		}
		if !inFeed(t, h, id) {
			t.Error("the hub does not show the case study")
		}
	})
}
