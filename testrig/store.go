package testrig

import (
	"context"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// StoredCaseStudies counts the case studies in n's store, deleted ones
// included.
func (n *Node) StoredCaseStudies(t testing.TB) int64 {
	t.Helper()
	_, total, err := n.Store.CaseStudies.List(context.Background(), models.CaseStudyQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

// Reply is a reply from a remote actor, for SaveReply.
type Reply struct {
	// Host, Handle and Name are the author's; the author's IRI is
	// https://Host/users/Handle, and ActorURL its profile page, if any.
	Host, Handle, Name, ActorURL string
	// IRI is the reply's ID; URL its page, if any.
	IRI, URL string
	// Content is its HTML, already sanitised as the inbox does.
	Content string
	// Summary is its content warning; a reply with one is sensitive.
	Summary   string
	Published time.Time
}

// SaveReply stores r, straight in n's store, as a reply to the local case
// study slug, with its author, as the inbox does after a Create of a Note.
func (n *Node) SaveReply(t testing.TB, slug string, r Reply) {
	t.Helper()
	ctx := context.Background()
	cs, err := n.Store.CaseStudies.BySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	iri := "https://" + r.Host + "/users/" + r.Handle
	actor := models.Actor{
		IRI: iri, Type: "Person", Handle: r.Handle, Host: r.Host, Name: r.Name, URL: r.ActorURL,
		Inbox: iri + "/inbox", KeyID: iri + "#main-key", PublicKeyPEM: "PUBLIC",
	}
	if err := n.Store.Actors.UpsertRemote(ctx, &actor); err != nil {
		t.Fatal(err)
	}
	reply := models.Note{
		IRI: r.IRI, CaseStudyID: &cs.ID, InReplyTo: cs.IRI, Visibility: models.VisibilityPublic,
		ActorID: actor.ID, URL: r.URL, Content: r.Content,
		Published: r.Published, Updated: r.Published, Summary: r.Summary, Sensitive: r.Summary != "",
	}
	if err := n.Store.Notes.Save(ctx, &reply); err != nil {
		t.Fatal(err)
	}
}

// AddFollower stores a remote actor of host as an accepted follower of
// the local actor handle in s (which must exist), as an accepted Follow
// would, and returns the follower's inbox: what s's node publishes is
// queued for it, never delivered unless something listens there.
func AddFollower(t testing.TB, s *models.Store, handle, host string) string {
	t.Helper()
	ctx := context.Background()
	local, err := s.Actors.Local(ctx, handle)
	if err != nil {
		t.Fatal(err)
	}
	iri := "https://" + host + "/users/follower"
	now := time.Now().UTC()
	a := models.Actor{IRI: iri, Type: "Person", Handle: "follower", Host: host, Inbox: iri + "/inbox", Published: now, FetchedAt: &now}
	if err := s.Actors.UpsertRemote(ctx, &a); err != nil {
		t.Fatal(err)
	}
	f := models.Follow{ActivityID: iri + "/follows/1", ActorID: a.ID, TargetID: local.ID, State: models.FollowAccepted}
	if err := s.Follows.Save(ctx, &f); err != nil {
		t.Fatal(err)
	}
	return a.Inbox
}
