package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

func TestTopics(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		for i, tc := range []struct {
			area, handle string
			known        bool
		}{{"libraries", "libraries", true}, {"parks", "parks", false}, {"river walks", "river-walks", false}} {
			a := newActor("https://hub.example/actors/"+tc.handle, true)
			a.Handle = tc.handle
			if err := s.Actors.Create(ctx, &a); err != nil {
				t.Fatal(err)
			}
			row := models.Topic{Area: tc.area, Handle: tc.handle, ActorID: a.ID, Known: tc.known}
			if err := s.Topics.Create(ctx, &row); err != nil {
				t.Fatalf("topic %d: %v", i, err)
			}
		}
		dup := models.Topic{Area: "libraries", Handle: "libraries-2", ActorID: 999}
		if err := s.Topics.Create(ctx, &dup); !errors.Is(err, models.ErrConflict) {
			t.Errorf("a second topic of one area: %v, want ErrConflict", err)
		}
		if got, err := s.Topics.ByHandle(ctx, "river-walks"); err != nil || got.Area != "river walks" {
			t.Errorf("ByHandle = %+v, %v", got, err)
		}
		if _, err := s.Topics.ByArea(ctx, "housing"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ByArea of an area with no topic: %v, want ErrNotFound", err)
		}
		if n, err := s.Topics.CountFree(ctx); err != nil || n != 2 {
			t.Errorf("CountFree = %d, %v, want 2", n, err)
		}
		all, err := s.Topics.List(ctx)
		if err != nil || len(all) != 3 || all[0].Area != "libraries" || all[1].Area != "parks" {
			t.Errorf("List = %+v, %v, want the known area first, then the others oldest first", all, err)
		}
	})
}

// TestDirectoryNodes: Discover finds the organisation, the actors it
// follows, those following it but people, and the authors of received
// case studies, once each; Tally counts their case studies; a node whose
// reads fail three times is dead and listed still.
func TestDirectoryNodes(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		local := newActor("https://hub.example/actors/hub", true)
		mk := func(iri, typ string) models.Actor {
			a := newActor(iri, false)
			a.Type, a.Host = typ, iri[8:len(iri)-len("/actors/x")]
			if err := s.Actors.Create(ctx, &a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		if err := s.Actors.Create(ctx, &local); err != nil {
			t.Fatal(err)
		}
		followed := mk("https://one.example/actors/x", "Organization")
		follower := mk("https://two.example/actors/x", "Group")
		person := mk("https://mast.example/actors/x", "Person")
		author := mk("https://three.example/actors/x", "Organization")
		stranger := mk("https://four.example/actors/x", "Organization")
		for i, f := range []models.Follow{
			{ActorID: local.ID, TargetID: followed.ID, Outbound: true, State: models.FollowAccepted},
			{ActorID: follower.ID, TargetID: local.ID, State: models.FollowAccepted},
			{ActorID: person.ID, TargetID: local.ID, State: models.FollowAccepted},
		} {
			f.ActivityID = "https://x.example/follows/" + string(rune('a'+i))
			if err := s.Follows.Save(ctx, &f); err != nil {
				t.Fatal(err)
			}
		}
		for i, id := range []int64{author.ID, author.ID, followed.ID} {
			c := newCaseStudy(id, "cs"+string(rune('a'+i)), i)
			c.Local, c.Slug = false, nil
			c.IRI = "https://three.example/case-studies/" + string(rune('a'+i))
			if err := s.CaseStudies.Create(ctx, &c); err != nil {
				t.Fatal(err)
			}
		}
		for round, want := range []int64{4, 0} {
			if n, err := s.Nodes.Discover(ctx, local.ID); err != nil || n != want {
				t.Fatalf("Discover, round %d: %d, %v, want %d", round, n, err, want)
			}
		}
		if err := s.Nodes.Tally(ctx); err != nil {
			t.Fatal(err)
		}
		page, total, err := s.Nodes.List(ctx, models.NodeQuery{Order: "active", Limit: 10})
		if err != nil || total != 4 || len(page) != 4 {
			t.Fatalf("List = %d of %d, %v, want 4", len(page), total, err)
		}
		byActor := map[int64]models.ListedNode{}
		for _, n := range page {
			byActor[n.ActorID] = n
		}
		for _, tc := range []struct {
			a     models.Actor
			via   string
			count int64
		}{{local, "self", 0}, {followed, "following", 1}, {follower, "follower", 0}, {author, "announced", 2}} {
			n, ok := byActor[tc.a.ID]
			if !ok || n.Via != tc.via || n.CaseStudies != tc.count || (tc.count > 0) != (n.LastActivity != nil) {
				t.Errorf("%s: %+v, want via %s with %d case studies", tc.a.IRI, n, tc.via, tc.count)
			}
		}
		for _, a := range []models.Actor{person, stranger} {
			if _, ok := byActor[a.ID]; ok {
				t.Errorf("%s (%s) is listed", a.IRI, a.Type)
			}
		}
		if page[0].ActorID != followed.ID || page[1].ActorID != author.ID {
			t.Errorf("active order: %d, %d first, want the latest case study's author, then the next", page[0].ActorID, page[1].ActorID)
		}
		if self, n, err := s.Nodes.List(ctx, models.NodeQuery{LocalOnly: true, Limit: 10}); err != nil || n != 1 || self[0].ActorID != local.ID || !self[0].Local {
			t.Errorf("LocalOnly = %+v, %d, %v", self, n, err)
		}

		due, err := s.Nodes.Due(ctx, 10)
		if err != nil || len(due) != 4 {
			t.Fatalf("Due = %d, %v, want 4", len(due), err)
		}
		next := time.Now().Add(time.Hour)
		var check models.DueNode
		for _, d := range due {
			if d.ActorID == followed.ID {
				check = d
			}
		}
		if check.IRI != followed.IRI || check.Local {
			t.Errorf("due node = %+v", check)
		}
		if err := s.Nodes.Checked(ctx, check.ID, models.NodeInfoRead{Software: "pollen", SoftwareVersion: "1.0"}, next); err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if err := s.Nodes.Failed(ctx, check.ID, 3, time.Now().Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
			page, _, _ := s.Nodes.List(ctx, models.NodeQuery{Order: "new", Limit: 10})
			for _, n := range page {
				if n.ActorID == followed.ID && (n.Dead != (i == 2) || n.Software != "pollen" || n.Failures != i+1) {
					t.Errorf("after %d failures: dead %v, software %q, failures %d", i+1, n.Dead, n.Software, n.Failures)
				}
			}
		}
		if err := s.Nodes.Checked(ctx, check.ID, models.NodeInfoRead{Software: "pollen", SoftwareVersion: "1.1"}, next); err != nil {
			t.Fatal(err)
		}
		if due, err := s.Nodes.Due(ctx, 10); err != nil || len(due) != 3 {
			t.Errorf("Due after a read = %d, %v, want the 3 others", len(due), err)
		}
	})
}
