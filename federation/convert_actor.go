package federation

import (
	"html"
	"strings"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/discovery"
	"github.com/pollen-coop/pollen/models"
)

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
