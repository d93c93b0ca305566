package pages

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"time"
)

// A feed is written by hand in its three formats: Atom (RFC 4287), RSS
// 2.0 and JSON Feed 1.1, each a few structs. gorilla/feeds, the common
// library, writes one category per RSS item and Atom categories as text
// rather than a term, which readers drop; extending it would mean
// replacing its structs.

// feedFormat is one of the formats a feed is served in.
type feedFormat struct {
	// Ext is the extension of its URL, ".atom", ".rss" or ".json".
	Ext string
	// Type is its media type, as the Content-Type and autodiscovery name it.
	Type  string
	Label string
	write func(feedDoc) ([]byte, error)
}

// feedFormats are the formats, in the order pages link them.
var feedFormats = []feedFormat{
	{Ext: ".atom", Type: "application/atom+xml", Label: "Atom", write: writeAtom},
	{Ext: ".rss", Type: "application/rss+xml", Label: "RSS", write: writeRSS},
	{Ext: ".json", Type: "application/feed+json", Label: "JSON Feed", write: writeJSONFeed},
}

// feedDoc is a feed before it is written in a format.
type feedDoc struct {
	Title, Description string
	// Link is the page the feed follows; Self the feed's own URL, in the
	// format written; Next the feed's next page, if any.
	Link, Self, Next string
	Updated          time.Time
	Items            []feedItem
}

// feedItem is one case study in a feed.
type feedItem struct {
	// ID is the case study's IRI; Link its page on this node; Original
	// its page on its author's node, for a received one.
	ID, Link, Original string
	Title, Summary     string
	// Content is the full content as HTML, escaped where it is built.
	Content    string
	AuthorName string
	AuthorURL  string
	// Categories are its service area and its tags, as stored.
	Categories         []string
	Published, Updated time.Time
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Text string `xml:",chardata"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Author     atomPerson     `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
}

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Entries  []atomEntry `xml:"entry"`
}

// writeAtom writes d as an Atom feed.
func writeAtom(d feedDoc) ([]byte, error) {
	f := atomFeed{
		Lang: "en-GB", ID: d.Self, Title: d.Title, Subtitle: d.Description, Updated: rfc3339(d.Updated),
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: d.Self}, {Rel: "alternate", Type: "text/html", Href: d.Link}},
	}
	if d.Next != "" {
		f.Links = append(f.Links, atomLink{Rel: "next", Type: "application/atom+xml", Href: d.Next})
	}
	for _, it := range d.Items {
		e := atomEntry{
			ID: it.ID, Title: it.Title, Updated: rfc3339(it.Updated), Published: rfc3339(it.Published),
			Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: it.Link}},
			Author:  atomPerson{Name: it.AuthorName, URI: it.AuthorURL},
			Summary: atomText{Type: "text", Text: it.Summary}, Content: atomText{Type: "html", Text: it.Content},
		}
		if it.Original != "" {
			e.Links = append(e.Links, atomLink{Rel: "via", Type: "text/html", Href: it.Original})
		}
		for _, c := range it.Categories {
			e.Categories = append(e.Categories, atomCategory{Term: c})
		}
		f.Entries = append(f.Entries, e)
	}
	return marshalXML(f)
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Creator     string   `xml:"dc:creator"`
	Categories  []string `xml:"category"`
	Description string   `xml:"description"`
	Content     string   `xml:"content:encoded"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	ID          string `xml:",chardata"`
}

type rssChannel struct {
	Title         string     `xml:"title"`
	Link          string     `xml:"link"`
	Description   string     `xml:"description"`
	Language      string     `xml:"language"`
	LastBuildDate string     `xml:"lastBuildDate,omitempty"`
	Self          []atomLink `xml:"atom:link"`
	Items         []rssItem  `xml:"item"`
}

type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	AtomNS    string     `xml:"xmlns:atom,attr"`
	ContentNS string     `xml:"xmlns:content,attr"`
	DCNS      string     `xml:"xmlns:dc,attr"`
	Channel   rssChannel `xml:"channel"`
}

// writeRSS writes d as an RSS 2.0 feed, with the full content in
// content:encoded and the author in dc:creator (RSS's own author is an
// email address).
func writeRSS(d feedDoc) ([]byte, error) {
	ch := rssChannel{
		Title: d.Title, Link: d.Link, Description: d.Description, Language: "en-gb",
		Self: []atomLink{{Rel: "self", Type: "application/rss+xml", Href: d.Self}},
	}
	if !d.Updated.IsZero() {
		ch.LastBuildDate = d.Updated.UTC().Format(time.RFC1123Z)
	}
	if d.Next != "" {
		ch.Self = append(ch.Self, atomLink{Rel: "next", Type: "application/rss+xml", Href: d.Next})
	}
	for _, it := range d.Items {
		item := rssItem{
			Title: it.Title, Link: it.Link, GUID: rssGUID{ID: it.ID}, PubDate: it.Published.UTC().Format(time.RFC1123Z),
			Creator: it.AuthorName, Description: it.Summary, Content: it.Content,
		}
		item.Categories = it.Categories
		ch.Items = append(ch.Items, item)
	}
	return marshalXML(rssDoc{
		Version: "2.0", AtomNS: "http://www.w3.org/2005/Atom", ContentNS: "http://purl.org/rss/1.0/modules/content/",
		DCNS: "http://purl.org/dc/elements/1.1/", Channel: ch,
	})
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	ExternalURL   string       `json:"external_url,omitempty"`
	Title         string       `json:"title"`
	Summary       string       `json:"summary,omitempty"`
	ContentHTML   string       `json:"content_html"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified"`
	Authors       []jsonAuthor `json:"authors"`
	Tags          []string     `json:"tags,omitempty"`
}

type jsonFeed struct {
	Version     string     `json:"version"`
	Title       string     `json:"title"`
	HomePageURL string     `json:"home_page_url"`
	FeedURL     string     `json:"feed_url"`
	NextURL     string     `json:"next_url,omitempty"`
	Description string     `json:"description,omitempty"`
	Language    string     `json:"language"`
	Items       []jsonItem `json:"items"`
}

// jsonFeedVersion is the version of JSON Feed written.
const jsonFeedVersion = "https://jsonfeed.org/version/1.1"

// writeJSONFeed writes d as a JSON Feed 1.1.
func writeJSONFeed(d feedDoc) ([]byte, error) {
	f := jsonFeed{
		Version: jsonFeedVersion, Title: d.Title, HomePageURL: d.Link, FeedURL: d.Self, NextURL: d.Next,
		Description: d.Description, Language: "en-GB", Items: []jsonItem{},
	}
	for _, it := range d.Items {
		item := jsonItem{
			ID: it.ID, URL: it.Link, ExternalURL: it.Original, Title: it.Title, Summary: it.Summary, ContentHTML: it.Content,
			DatePublished: rfc3339(it.Published), DateModified: rfc3339(it.Updated),
			Authors: []jsonAuthor{{Name: it.AuthorName, URL: it.AuthorURL}},
		}
		item.Tags = it.Categories
		f.Items = append(f.Items, item)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // content_html is HTML: keep it readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// marshalXML is v as an indented XML document with its declaration.
func marshalXML(v any) ([]byte, error) {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), b...), nil
}

// rfc3339 is t in UTC as Atom and JSON Feed write times.
func rfc3339(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}
