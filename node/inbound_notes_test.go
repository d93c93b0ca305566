package node_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/testrig"
)

// noteActivity is a Create (or Update) of a Note by rm with id
// rm.ActorIRI/notes/name; extra sets the note's other properties.
func noteActivity(rm *testrig.Remote, typ, name string, extra map[string]any) map[string]any {
	note := map[string]any{
		"id": rm.ActorIRI + "/notes/" + name, "type": "Note", "attributedTo": rm.ActorIRI,
		"content": "<p>" + name + "</p>", "to": []string{"https://www.w3.org/ns/activitystreams#Public"},
	}
	for k, v := range extra {
		note[k] = v
	}
	return activity(rm, "activities/"+strings.ToLower(typ)+"-"+name, typ, note)
}

// post sends an activity from rm to the node's shared inbox and waits
// until it is processed.
func post(t *testing.T, n *testrig.Node, rm *testrig.Remote, act map[string]any) {
	t.Helper()
	if r := rm.Post(t, n.URL+"/inbox", act); r.Status != http.StatusAccepted {
		t.Fatalf("%s: %d %s", act["id"], r.Status, r.Body)
	}
	settled(t, n)
}

// storedNote is the note with the IRI on n, or the error of reading it.
func storedNote(t *testing.T, n *testrig.Node, iri string) (models.Note, error) {
	t.Helper()
	return n.Store.Notes.ByIRI(context.Background(), iri)
}

// orgActor is the node's organisation's row.
func orgActor(t *testing.T, n *testrig.Node) models.Actor {
	t.Helper()
	a, err := n.Store.Actors.ByIRI(context.Background(), nodeActor(n))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// notified reports whether n holds a notification of the type by the
// actor IRI about the status id (0: none).
func notified(t *testing.T, n *testrig.Node, typ, actorIRI string, statusID int64) bool {
	t.Helper()
	ctx := context.Background()
	a, err := n.Store.Actors.ByIRI(ctx, actorIRI)
	if err != nil {
		return false
	}
	list, err := n.Store.Notifications.Page(ctx, models.NotificationQuery{Types: []string{typ}, Limit: 80})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range list {
		if x.ActorID == a.ID && x.StatusID == statusID {
			return true
		}
	}
	return false
}

// homeHas reports whether the status id is on n's home timeline, read
// from the store and through service.Statuses.
func homeHas(t *testing.T, n *testrig.Node, statusID int64) (store, svc bool) {
	t.Helper()
	ctx := context.Background()
	entries, err := n.Store.Timelines.Page(ctx, models.TimelineQuery{Scope: models.ScopeHome, Viewer: orgActor(t, n).ID, Limit: 40})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		store = store || e.StatusID == statusID
	}
	items, err := n.Statuses.Timeline(ctx, service.TimelineFilter{Timeline: service.TimelineHome, Limit: 40})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		svc = svc || it.StatusID == strconv.FormatInt(statusID, 10)
	}
	return store, svc
}

// TestInboundNotes: a followed peer's notes, public and unlisted, reach
// the home timeline with their tags; its followers-only notes and a
// stranger's plain notes are not kept; a stranger's reply to our note or
// case study, a reply down that thread and a mention of us are kept, and
// the first two kinds notify; only the author's Update changes a note,
// and its Delete removes it.
func TestInboundNotes(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: testrig.Fresh(t, db.Name), Configure: fast})
		peer, stranger := testrig.StartRemote(t), testrig.StartRemote(t)
		mallory := peer.AddActor(t, "mallory", "Mallory")
		followRemote(t, n, peer)
		ctx := context.Background()

		// A followed peer's notes.
		post(t, n, peer, noteActivity(peer, "Create", "plain", map[string]any{"tag": []any{
			map[string]any{"type": "Hashtag", "name": "#Libraries"},
			map[string]any{"type": "Mention", "href": stranger.ActorIRI, "name": "@alice@elsewhere"},
		}}))
		post(t, n, peer, noteActivity(peer, "Create", "unlisted", map[string]any{
			"to": []string{peer.ActorIRI + "/followers"}, "cc": []string{"https://www.w3.org/ns/activitystreams#Public"}}))
		post(t, n, peer, noteActivity(peer, "Create", "private", map[string]any{"to": []string{peer.ActorIRI + "/followers"}}))
		plain, err := storedNote(t, n, peer.ActorIRI+"/notes/plain")
		if err != nil || plain.Visibility != models.VisibilityPublic || plain.CaseStudyID != nil ||
			len(plain.Hashtags) != 1 || plain.Hashtags[0] != "Libraries" ||
			len(plain.Mentions) != 1 || plain.Mentions[0].Acct != "alice@elsewhere" {
			t.Fatalf("the peer's plain note = %+v, %v", plain, err)
		}
		if inStore, inService := homeHas(t, n, plain.StatusID); !inStore || !inService {
			t.Errorf("the peer's note on the home timeline: store %v, service %v", inStore, inService)
		}
		unlisted, err := storedNote(t, n, peer.ActorIRI+"/notes/unlisted")
		if err != nil || unlisted.Visibility != models.VisibilityUnlisted {
			t.Errorf("the unlisted note = %+v, %v", unlisted, err)
		} else if inStore, _ := homeHas(t, n, unlisted.StatusID); !inStore {
			t.Errorf("the unlisted note is not on the home timeline")
		}
		if _, err := storedNote(t, n, peer.ActorIRI+"/notes/private"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("a followers-only note was kept: %v", err)
		}

		// A stranger's plain note is not kept; its replies and mentions are.
		post(t, n, stranger, noteActivity(stranger, "Create", "plain", map[string]any{"cc": []string{nodeActor(n)}}))
		if _, err := storedNote(t, n, stranger.ActorIRI+"/notes/plain"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("a stranger's plain note was kept: %v", err)
		}
		org := orgActor(t, n)
		ours := models.Note{IRI: n.URL + "/notes/1", ActorID: org.ID, Local: true, Content: "<p>ours</p>",
			Visibility: models.VisibilityPublic, Published: plain.Published}
		if err := n.Store.Notes.Create(ctx, &ours); err != nil {
			t.Fatal(err)
		}
		cs := publish(t, n, "Answered")
		csRow, err := n.Store.CaseStudies.ByIRI(ctx, cs["id"].(string))
		if err != nil {
			t.Fatal(err)
		}
		post(t, n, stranger, noteActivity(stranger, "Create", "to-note", map[string]any{"inReplyTo": ours.IRI}))
		post(t, n, stranger, noteActivity(stranger, "Create", "to-case-study", map[string]any{"inReplyTo": csRow.IRI}))
		post(t, n, stranger, noteActivity(stranger, "Create", "down-thread",
			map[string]any{"inReplyTo": stranger.ActorIRI + "/notes/to-case-study"}))
		post(t, n, stranger, noteActivity(stranger, "Create", "mention", map[string]any{
			"tag": []any{map[string]any{"type": "Mention", "href": nodeActor(n), "name": "@" + n.Config.Handle}}}))
		for _, tc := range []struct {
			name      string
			caseStudy *int64
			notifies  bool
		}{
			{"to-note", nil, true}, {"to-case-study", &csRow.ID, true}, {"down-thread", &csRow.ID, false}, {"mention", nil, true},
		} {
			got, err := storedNote(t, n, stranger.ActorIRI+"/notes/"+tc.name)
			if err != nil {
				t.Errorf("%s: not kept: %v", tc.name, err)
				continue
			}
			if (got.CaseStudyID == nil) != (tc.caseStudy == nil) || (got.CaseStudyID != nil && *got.CaseStudyID != *tc.caseStudy) {
				t.Errorf("%s: case study %v, want %v", tc.name, got.CaseStudyID, tc.caseStudy)
			}
			if notified(t, n, models.NotifyMention, stranger.ActorIRI, got.StatusID) != tc.notifies {
				t.Errorf("%s: mention notified = %v, want %v", tc.name, !tc.notifies, tc.notifies)
			}
		}
		_, total, err := n.Store.Notes.Discussion(ctx, csRow.ID, 10, 0)
		if err != nil || total != 2 {
			t.Errorf("the case study's discussion holds %d, %v; want the reply and the one down its thread", total, err)
		}

		// Only the author changes its note.
		spoof := noteActivity(mallory, "Update", "spoof", nil)
		spoof["object"].(map[string]any)["id"] = plain.IRI
		spoof["object"].(map[string]any)["content"] = "<p>spoofed</p>"
		spoof["cc"] = []string{nodeActor(n)}
		// Refused at the door (the processing's own refusal, for an Update
		// stored before the note, is TestSpoofedNoteUpdate in federation).
		testrig.WantError(t, mallory.Post(t, n.URL+"/inbox", spoof), http.StatusForbidden, "belongs to another actor")
		settled(t, n)
		if got, err := storedNote(t, n, plain.IRI); err != nil || got.Content != plain.Content || got.ActorID != plain.ActorID {
			t.Errorf("after another actor's Update the note is %+v, %v", got, err)
		}
		edit := noteActivity(peer, "Update", "plain", map[string]any{"content": "<p>edited</p>"})
		post(t, n, peer, edit)
		if got, err := storedNote(t, n, plain.IRI); err != nil || got.Content != "<p>edited</p>" {
			t.Errorf("after its author's Update the note is %+v, %v", got, err)
		}
		post(t, n, peer, activity(peer, "activities/delete-plain", "Delete", plain.IRI))
		if _, err := storedNote(t, n, plain.IRI); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("after its Delete the note is still there: %v", err)
		}
	})
}

// TestInboundFollowNotifications: a follower accepted at once notifies
// follow; on a node that approves followers by hand, follow_request.
func TestInboundFollowNotifications(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		open := testrig.StartNode(t, testrig.Options{DB: testrig.Fresh(t, db.Name), Configure: fast})
		rm := testrig.StartRemote(t)
		rm.Follow(t, open)
		if !notified(t, open, models.NotifyFollow, rm.ActorIRI, 0) {
			t.Errorf("no follow notification")
		}
		locked := testrig.StartNode(t, testrig.Options{DB: testrig.Fresh(t, db.Name), Configure: func(c *config.Config) {
			fast(c)
			c.ManuallyApprovesFollowers = true
		}})
		post(t, locked, rm, activity(rm, "follows/locked", "Follow", nodeActor(locked)))
		if !notified(t, locked, models.NotifyFollowRequest, rm.ActorIRI, 0) || notified(t, locked, models.NotifyFollow, rm.ActorIRI, 0) {
			t.Errorf("want a follow_request notification and no follow")
		}
	})
}
