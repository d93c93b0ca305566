package ap

import (
	"encoding/json"
	"strings"
	"time"
)

// Object is an object received from a peer: a Note, an Article, a
// Page, a Tombstone, an actor, a collection or an embedded activity. Text
// fields hold what the peer sent, unsanitised; the converters in
// federation/convert sanitise. Terms Pollen does not read are kept in Extra,
// never dropped.
type Object struct {
	// Context is the object's own @context, if it has one.
	Context json.RawMessage
	// ID is empty only for a transient embedded object.
	ID string
	// Type is the first type; Types has them all, with "as:" and the
	// ActivityStreams namespace removed.
	Type  string
	Types []string

	// AttributedTo is the first author's IRI; AttributedToAll has every
	// one (PeerTube lists a Person and a Group).
	AttributedTo    string
	AttributedToAll []string

	// Name, Summary and Content come from the plain property or, when it
	// is absent, from its language map (nameMap, summaryMap, contentMap).
	Name, Summary, Content string
	ContentMap             map[string]string
	MediaType              string
	// Source is the text the content was rendered from; Misskey's
	// _misskey_content becomes a text/x.misskeymarkdown source.
	Source *Source
	// URL is the HTML page: the first text/html link of url, else the
	// first link. URLs has every link.
	URL  string
	URLs []Link

	InReplyTo string
	// Quote is the IRI of a quoted object (quote, quoteUrl, quoteUri,
	// _misskey_quote, or a FEP-e232 link tag).
	Quote string
	// Published and Updated are zero when absent or unreadable.
	Published, Updated time.Time

	To, Cc, Bto, Bcc, Audience []string

	Tag        []Tag
	Attachment []Attachment
	Replies    Ref
	Icon       *Link
	Image      *Link
	Sensitive  bool

	// Conversation is Pleroma's context or conversation IRI.
	Conversation string

	// Tombstone fields.
	FormerType string
	Deleted    time.Time

	// Activity fields, for an embedded activity (the Follow in an Undo).
	Actor   string
	Object  Ref
	Objects []Ref
	Target  Ref

	// Pollen's extension terms, as ToArticle writes them.
	OrganisationType string
	ServiceArea      string
	Region           string
	Stage            string
	Outcomes         []string
	Savings          *Savings
	OwnershipModel   string
	Lessons          []string
	Contact          *Contact

	// Extra holds every term not read into a field above.
	Extra map[string]json.RawMessage
	// Raw is the object as received.
	Raw json.RawMessage
}

// Source is an object's source.
type Source struct {
	Content   string
	MediaType string
}

// Link is a link: a url, an icon or image, a Link object.
type Link struct {
	Type      string
	Href      string
	MediaType string
	Name      string
	Rel       []string
}

// Tag is a Hashtag, Mention, Emoji or Link tag. Name keeps its
// "#", "@" or colons as sent.
type Tag struct {
	Type      string
	ID        string
	Name      string
	Href      string
	MediaType string
	// Icon is an Emoji's image.
	Icon *Link
}

// Attachment is a Document, Image, Video, Audio, Link or (on
// actors) PropertyValue.
type Attachment struct {
	Type      string
	MediaType string
	URL       string
	Name      string
	// Value is a PropertyValue's value.
	Value    string
	Blurhash string
	Width    int
	Height   int
}

// IsPublic reports whether the object is addressed to the public.
func (o Object) IsPublic() bool {
	return asHasPublic(o.To, o.Cc, o.Bto, o.Bcc, o.Audience)
}

// Host is the lower-case host (with port, if any) of the object's id.
func (o Object) Host() string { return Host(o.ID) }

// HasType reports whether t is one of the object's types.
func (o Object) HasType(t string) bool {
	for _, x := range o.Types {
		if x == t {
			return true
		}
	}
	return false
}

// Hashtags are the names of the Hashtag tags, without '#'.
func (o Object) Hashtags() []string {
	var out []string
	for _, t := range o.Tag {
		if t.Type == "Hashtag" {
			if n := strings.TrimPrefix(strings.TrimSpace(t.Name), "#"); n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}

// Mentions are the hrefs of the Mention tags.
func (o Object) Mentions() []string {
	var out []string
	for _, t := range o.Tag {
		if t.Type == "Mention" && t.Href != "" {
			out = append(out, t.Href)
		}
	}
	return out
}

// asKnown are the terms parseObject reads into fields.
var asKnown = map[string]bool{
	"@context": true, "id": true, "@id": true, "type": true, "@type": true,
	"attributedTo": true, "name": true, "nameMap": true, "summary": true, "summaryMap": true,
	"content": true, "contentMap": true, "mediaType": true, "source": true, "_misskey_content": true,
	"url": true, "inReplyTo": true, "quote": true, "quoteUrl": true, "quoteUri": true, "_misskey_quote": true,
	"published": true, "updated": true, "to": true, "cc": true, "bto": true, "bcc": true, "audience": true,
	"tag": true, "attachment": true, "replies": true, "icon": true, "image": true, "sensitive": true,
	"context": true, "conversation": true, "formerType": true, "deleted": true,
	"actor": true, "object": true, "target": true,
	"organisationType": true, "serviceArea": true, "region": true, "stage": true, "outcomes": true,
	"savings": true, "ownershipModel": true, "lessons": true, "contact": true,
}

// maxEmbedded is how many embedded objects (object, target, replies, at
// any depth) one document may have read; further ones are ignored, so that
// a crafted document cannot make parsing slow.
const maxEmbedded = 64

// asParser reads one document.
type asParser struct {
	embedded int
}

// parseObject reads one JSON object. top requires an id and a type; an
// embedded object may lack them, but an id it has must be an absolute
// http(s) URL.
func (p *asParser) parseObject(raw json.RawMessage, top bool) (*Object, error) {
	var f asFields
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, malformed("the document is not a JSON object")
	}
	o := &Object{Raw: raw, Context: f["@context"], Extra: map[string]json.RawMessage{}}
	o.ID = f.str("id")
	if o.ID == "" {
		o.ID = f.str("@id")
	}
	o.Types = f.types()
	if len(o.Types) > 0 {
		o.Type = o.Types[0]
	}
	switch {
	case top && o.ID == "":
		return nil, malformed("the document has no id")
	case top && o.Type == "":
		return nil, malformed("the document has no type")
	case o.ID != "" && !AbsoluteHTTP(o.ID):
		return nil, malformed("id %q is not an absolute http or https URL", Clip(o.ID))
	}
	o.readText(f)
	o.readLinks(f)
	o.readAddressing(f)
	if err := p.readRefs(o, f); err != nil {
		return nil, err
	}
	o.readPollen(f)
	for k, v := range f {
		if !asKnown[k] {
			o.Extra[k] = v
		}
	}
	return o, nil
}

func (o *Object) readText(f asFields) {
	o.Name = f.lang("name", "nameMap", nil)
	o.Summary = f.lang("summary", "summaryMap", nil)
	o.ContentMap = f.langMap("contentMap")
	o.Content = f.lang("content", "contentMap", o.ContentMap)
	o.MediaType = f.str("mediaType")
	o.Source = f.source()
	o.Published = f.time("published")
	o.Updated = f.time("updated")
	o.Deleted = f.time("deleted")
	o.FormerType = asTypeName(f.str("formerType"))
	o.Sensitive = f.bool("sensitive")
}

func (o *Object) readLinks(f asFields) {
	o.URLs = f.links("url")
	o.URL = asPageURL(o.URLs)
	o.Tag = f.tags()
	o.Attachment = f.attachments()
	if l := f.links("icon"); len(l) > 0 {
		o.Icon = &l[0]
	}
	if l := f.links("image"); len(l) > 0 {
		o.Image = &l[0]
	}
	for _, k := range []string{"quote", "quoteUrl", "quoteUri", "_misskey_quote"} {
		if o.Quote = f.iri(k); o.Quote != "" {
			break
		}
	}
	if o.Quote == "" {
		for _, t := range o.Tag {
			if t.Type == "Link" && asIsActivityMediaType(t.MediaType) {
				o.Quote = t.Href
				break
			}
		}
	}
}

func (o *Object) readAddressing(f asFields) {
	o.To, o.Cc, o.Bto, o.Bcc = f.audience("to"), f.audience("cc"), f.audience("bto"), f.audience("bcc")
	o.Audience = f.audience("audience")
	o.AttributedToAll = f.iris("attributedTo")
	if len(o.AttributedToAll) > 0 {
		o.AttributedTo = o.AttributedToAll[0]
	}
	o.InReplyTo = f.iri("inReplyTo")
	o.Conversation = f.iri("context")
	if o.Conversation == "" {
		o.Conversation = f.iri("conversation")
	}
	if actors := f.iris("actor"); len(actors) > 0 {
		o.Actor = actors[0]
	}
}

func (p *asParser) readRefs(o *Object, f asFields) error {
	var err error
	if o.Objects, err = p.refs(f, "object"); err != nil {
		return err
	}
	if len(o.Objects) > 0 {
		o.Object = o.Objects[0]
	}
	targets, err := p.refs(f, "target")
	if err != nil {
		return err
	}
	if len(targets) > 0 {
		o.Target = targets[0]
	}
	replies, err := p.refs(f, "replies")
	if err != nil {
		return err
	}
	if len(replies) > 0 {
		o.Replies = replies[0]
	}
	return nil
}

func (o *Object) readPollen(f asFields) {
	o.OrganisationType = f.str("organisationType")
	o.ServiceArea = f.str("serviceArea")
	o.Region = f.str("region")
	o.Stage = f.str("stage")
	o.OwnershipModel = f.str("ownershipModel")
	o.Outcomes = f.list("outcomes")
	o.Lessons = f.list("lessons")
	if s, ok := f.object("savings"); ok {
		o.Savings = &Savings{Amount: s.number("amount"), Currency: s.str("currency"), Period: s.str("period")}
	}
	if c, ok := f.object("contact"); ok {
		o.Contact = &Contact{Name: c.str("name"), Role: c.str("role"), Email: c.str("email")}
	}
}
