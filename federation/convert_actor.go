package federation

import (
	"html"
	"strings"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/discovery"
	"github.com/pollen-coop/pollen/models"
)

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

// ToActorDocument converts a local actor; the document carries @context.
func (s *Documents) ToActorDocument(a models.Actor) ActorDocument {
	d := ActorDocument{
		Context: ap.Context, ID: a.IRI, Type: a.Type, PreferredUsername: a.Handle, Name: a.Name,
		Summary: "<p>" + html.EscapeString(a.Summary) + "</p>", URL: a.URL,
		Inbox: a.Inbox, Outbox: a.Outbox, Followers: a.Followers, Following: a.Following,
		Featured:  s.FeaturedIRI(a.Handle),
		Endpoints: &Endpoints{SharedInbox: a.SharedInbox},
		PublicKey: PublicKey{ID: a.KeyID, Owner: a.IRI, PublicKeyPem: a.PublicKeyPEM},
		Published: Time(a.Published), ManuallyApprovesFollowers: a.ManuallyApprovesFollowers,
		Discoverable: a.Discoverable, Indexable: a.Indexable,
		OrgType: a.OrgType, Region: a.Region, ServiceArea: a.ServiceArea, Role: s.cfg.Role,
		Attachment: []PropertyValue{},
	}
	icon, p := a.IconURL, s.profile.Current()
	if icon == "" {
		icon = s.cfg.URL("/static/icon.png")
	}
	d.Icon = &Document{Type: "Image", MediaType: discovery.MediaTypeOf(icon), URL: icon}
	if icon == p.IconURL && p.IconMediaType != "" {
		d.Icon.MediaType = p.IconMediaType
	}
	website := p.Website
	if website == "" {
		website = a.URL
	}
	d.Attachment = append(d.Attachment, PropertyValue{Type: "PropertyValue", Name: "Website", Value: link(website)})
	if a.Region != "" {
		d.Attachment = append(d.Attachment, PropertyValue{Type: "PropertyValue", Name: "Region", Value: html.EscapeString(a.Region)})
	}
	if a.OrgType != "" {
		d.Attachment = append(d.Attachment, PropertyValue{Type: "PropertyValue", Name: "Organisation type", Value: html.EscapeString(a.OrgType)})
	}
	return d
}

// link writes a profile-field link the way Mastodon renders one.
func link(u string) string {
	e := html.EscapeString(u)
	shown := strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	return `<a href="` + e + `" rel="me nofollow noopener noreferrer" target="_blank">` + html.EscapeString(shown) + `</a>`
}
