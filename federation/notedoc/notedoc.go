// Package notedoc builds the ActivityStreams form of the node's own notes:
// the Note, the Create that publishes it and the Delete that withdraws it,
// with the addressing of its visibility, and what a note's IRI serves. It
// imports only federation/ap and models; service builds the activities,
// federation queues them and serves the documents.
package notedoc

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/models"
)

// Note is a local note in its ActivityStreams form.
type Note struct {
	Context      any      `json:"@context,omitempty"`
	ID           string   `json:"id"`
	Type         string   `json:"type"`
	AttributedTo string   `json:"attributedTo"`
	InReplyTo    *string  `json:"inReplyTo"`
	Summary      *string  `json:"summary"`
	Sensitive    bool     `json:"sensitive"`
	Content      string   `json:"content"`
	MediaType    string   `json:"mediaType"`
	URL          string   `json:"url"`
	Published    string   `json:"published"`
	Updated      string   `json:"updated,omitempty"`
	To           []string `json:"to"`
	Cc           []string `json:"cc"`
	Tag          []Tag    `json:"tag"`
}

// Tag is a Hashtag or a Mention of a note.
type Tag struct {
	Type string `json:"type"`
	Href string `json:"href"`
	Name string `json:"name"`
}

// Activity is the Create or the Delete of a note.
type Activity struct {
	Context   any      `json:"@context,omitempty"`
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	Actor     string   `json:"actor"`
	Published string   `json:"published,omitempty"`
	To        []string `json:"to"`
	Cc        []string `json:"cc"`
	Object    any      `json:"object"`
}

// Tombstone stands in for a deleted note.
type Tombstone struct {
	Context    any    `json:"@context,omitempty"`
	ID         string `json:"id"`
	Type       string `json:"type"`
	FormerType string `json:"formerType"`
	Deleted    string `json:"deleted"`
}

// Time formats t as ActivityStreams dates are written: RFC 3339, UTC,
// whole seconds.
func Time(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// Audience is who a note of the visibility by author is addressed to: a
// public note to Public, its author's followers in copy; an unlisted one
// to the followers, Public in copy. The mentioned actors are in copy of
// both.
func Audience(n models.Note, author models.Actor) (to, cc []string) {
	to, cc = []string{ap.PublicIRI}, []string{author.Followers}
	if n.Visibility == models.VisibilityUnlisted {
		to, cc = cc, to
	}
	for _, m := range n.Mentions {
		cc = append(cc, m.IRI)
	}
	return to, cc
}

// Build is the Note of the local note n by author, without @context;
// tagURL gives the node's page of a hashtag from its path.
func Build(n models.Note, author models.Actor, tagURL func(path string) string) Note {
	out := Note{
		ID: n.IRI, Type: "Note", AttributedTo: author.IRI, Sensitive: n.Sensitive || n.Summary != "",
		Content: n.Content, MediaType: "text/html", URL: n.URL, Published: Time(n.Published), Tag: []Tag{},
	}
	if out.URL == "" {
		out.URL = n.IRI
	}
	if n.InReplyTo != "" {
		parent := n.InReplyTo
		out.InReplyTo = &parent
	}
	if n.Summary != "" {
		summary := n.Summary
		out.Summary = &summary
	}
	if n.Updated.After(n.Published.Add(time.Second)) {
		out.Updated = Time(n.Updated)
	}
	out.To, out.Cc = Audience(n, author)
	for _, m := range n.Mentions {
		out.Tag = append(out.Tag, Tag{Type: "Mention", Href: m.IRI, Name: "@" + m.Acct})
	}
	for _, h := range n.Hashtags {
		lower := strings.ToLower(h)
		out.Tag = append(out.Tag, Tag{Type: "Hashtag", Href: tagURL("/tags/" + url.PathEscape(lower)), Name: "#" + h})
	}
	return out
}

// Create is the Create that publishes the Note doc.
func Create(doc Note) Activity {
	return Activity{
		ID: doc.ID + "#create", Type: "Create", Actor: doc.AttributedTo, Published: doc.Published,
		To: doc.To, Cc: doc.Cc, Object: doc,
	}
}

// Delete is the Delete of the local note n by author, deleted at the time.
func Delete(n models.Note, author models.Actor, deleted time.Time) Activity {
	to, cc := Audience(n, author)
	return Activity{
		ID: n.IRI + "#delete", Type: "Delete", Actor: author.IRI, Published: Time(deleted), To: to, Cc: cc,
		Object: Gone(n, deleted),
	}
}

// Gone is the Tombstone of the note n, deleted at the time.
func Gone(n models.Note, deleted time.Time) Tombstone {
	return Tombstone{ID: n.IRI, Type: "Tombstone", FormerType: "Note", Deleted: Time(deleted)}
}

// Encode is the JSON sent for a, with its @context.
func Encode(a Activity) ([]byte, error) {
	a.Context = ap.Context
	payload, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("notedoc: encode %s: %w", a.Type, err)
	}
	return payload, nil
}

// Document returns what the IRI of the local note with the given id
// ({base}/notes/{id}, base from url) serves, with its @context: the Note,
// or, with gone true, the Tombstone of a deleted one. It returns
// models.ErrNotFound for an id no local note has.
func Document(ctx context.Context, store *models.Store, url func(path string) string, id string) (doc any, gone bool, err error) {
	n, err := store.Notes.ByIRI(ctx, url("/notes/"+id))
	if err == nil && !n.Local {
		err = models.ErrNotFound
	}
	if err != nil {
		return nil, false, err
	}
	if n.Deleted() {
		t := Gone(n, *n.DeletedAt)
		t.Context = ap.Context
		return t, true, nil
	}
	author, err := store.Actors.ByID(ctx, n.ActorID)
	if err != nil {
		return nil, false, err
	}
	note := Build(n, author, url)
	note.Context = ap.Context
	return note, false, nil
}
