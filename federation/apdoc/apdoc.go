// Package apdoc holds the ActivityStreams documents this node serves and
// sends: its actors, case studies, collections and activities, as they are
// encoded to JSON. Building them from rows is package federation's
// (Documents); reading what peers send is federation/ap's.
package apdoc

import "github.com/pollen-coop/pollen/federation/ap"

// Collection is an OrderedCollection or one of its pages.
type Collection struct {
	Context      any    `json:"@context,omitempty"`
	ID           string `json:"id"`
	Type         string `json:"type"`
	TotalItems   *int64 `json:"totalItems,omitempty"`
	PartOf       string `json:"partOf,omitempty"`
	First        any    `json:"first,omitempty"`
	Last         string `json:"last,omitempty"`
	Next         string `json:"next,omitempty"`
	Prev         string `json:"prev,omitempty"`
	OrderedItems []any  `json:"orderedItems,omitzero"`
}

// Activity is an activity Pollen sends or serves.
type Activity struct {
	Context   any      `json:"@context,omitempty"`
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	Actor     string   `json:"actor"`
	Published string   `json:"published,omitempty"`
	To        []string `json:"to,omitempty"`
	Cc        []string `json:"cc,omitempty"`
	Object    any      `json:"object"`
}

// Article is a case study in its ActivityStreams form. Extension terms are
// defined inline in Context; see docs/vocabulary.md.
type Article struct {
	Context      any         `json:"@context,omitempty"`
	ID           string      `json:"id"`
	Type         string      `json:"type"`
	AttributedTo string      `json:"attributedTo"`
	Name         string      `json:"name"`
	Summary      string      `json:"summary"`
	Content      string      `json:"content"`
	MediaType    string      `json:"mediaType"`
	Source       *Source     `json:"source,omitempty"`
	URL          string      `json:"url"`
	Published    string      `json:"published"`
	Updated      string      `json:"updated,omitempty"`
	To           []string    `json:"to"`
	Cc           []string    `json:"cc"`
	Tag          []Tag       `json:"tag"`
	Attachment   []Document  `json:"attachment,omitempty"`
	Image        *Document   `json:"image,omitempty"`
	Replies      *Collection `json:"replies,omitempty"`
	OrgType      string      `json:"organisationType,omitempty"`
	ServiceArea  string      `json:"serviceArea,omitempty"`
	Region       string      `json:"region,omitempty"`
	Stage        string      `json:"stage,omitempty"`
	Outcomes     []string    `json:"outcomes,omitempty"`
	Savings      *ap.Savings `json:"savings,omitempty"`
	Ownership    string      `json:"ownershipModel,omitempty"`
	Lessons      []string    `json:"lessons,omitempty"`
	Contact      *ap.Contact `json:"contact,omitempty"`
}

// Source is the Markdown an Article's content was rendered from.
type Source struct {
	Content   string `json:"content"`
	MediaType string `json:"mediaType"`
}

// Tag is a Hashtag (or, received, a Mention or Emoji).
type Tag struct {
	Type string `json:"type"`
	Href string `json:"href,omitempty"`
	Name string `json:"name"`
}

// Document is an attachment.
type Document struct {
	Type      string `json:"type"`
	MediaType string `json:"mediaType,omitempty"`
	URL       string `json:"url"`
	Name      string `json:"name,omitempty"`
}

// Tombstone stands in for a deleted object.
type Tombstone struct {
	Context    any    `json:"@context,omitempty"`
	ID         string `json:"id"`
	Type       string `json:"type"`
	FormerType string `json:"formerType"`
	Deleted    string `json:"deleted"`
}

// ActorDocument is an actor in its ActivityStreams form.
type ActorDocument struct {
	Context                   any             `json:"@context,omitempty"`
	ID                        string          `json:"id"`
	Type                      string          `json:"type"`
	PreferredUsername         string          `json:"preferredUsername"`
	Name                      string          `json:"name"`
	Summary                   string          `json:"summary"`
	URL                       string          `json:"url"`
	Icon                      *Document       `json:"icon,omitempty"`
	Inbox                     string          `json:"inbox"`
	Outbox                    string          `json:"outbox"`
	Followers                 string          `json:"followers"`
	Following                 string          `json:"following"`
	Featured                  string          `json:"featured"`
	Endpoints                 *Endpoints      `json:"endpoints,omitempty"`
	PublicKey                 PublicKey       `json:"publicKey"`
	Published                 string          `json:"published"`
	ManuallyApprovesFollowers bool            `json:"manuallyApprovesFollowers"`
	Discoverable              bool            `json:"discoverable"`
	Indexable                 bool            `json:"indexable"`
	Attachment                []PropertyValue `json:"attachment"`
	OrgType                   string          `json:"organisationType,omitempty"`
	Region                    string          `json:"region,omitempty"`
	ServiceArea               string          `json:"serviceArea,omitempty"`
	Role                      string          `json:"pollenRole,omitempty"`
}

// Endpoints lists an actor's shared endpoints.
type Endpoints struct {
	SharedInbox string `json:"sharedInbox,omitempty"`
}

// PublicKey is an actor's key, as Mastodon publishes it.
type PublicKey struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

// PropertyValue is a profile field as Mastodon shows it.
type PropertyValue struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Value string `json:"value"`
}
