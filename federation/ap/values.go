package ap

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"time"
)

// asFields is a JSON object's members, read tolerantly: every accessor
// takes a single value or an array, skips nulls and values of the wrong
// kind, and never fails.
type asFields map[string]json.RawMessage

// asKind is the kind of a JSON value: '"', '[', '{', 'n', 't', 'f', or '0'
// for a number; 0 for nothing.
func asKind(v json.RawMessage) byte {
	for _, c := range v {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '"', '[', '{', 'n', 't', 'f':
			return c
		default:
			return '0'
		}
	}
	return 0
}

// Items splits a value into its items: an array's elements, or the value
// itself. Nulls are dropped.
func Items(v json.RawMessage) []json.RawMessage {
	switch asKind(v) {
	case 0, 'n':
		return nil
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(v, &items) != nil {
			return nil
		}
		out := items[:0]
		for _, it := range items {
			if k := asKind(it); k != 0 && k != 'n' {
				out = append(out, it)
			}
		}
		return out
	}
	return []json.RawMessage{v}
}

// String reads a string, or the @value of a JSON-LD value object.
func String(v json.RawMessage) (string, bool) {
	switch asKind(v) {
	case '"':
		var s string
		return s, json.Unmarshal(v, &s) == nil
	case '0':
		var n json.Number
		return string(n), json.Unmarshal(v, &n) == nil
	case '{':
		var f asFields
		if json.Unmarshal(v, &f) == nil && f["@value"] != nil {
			return String(f["@value"])
		}
	}
	return "", false
}

// str is the first string of key ("" when none).
func (f asFields) str(key string) string {
	for _, it := range Items(f[key]) {
		if asKind(it) == '"' || asKind(it) == '{' {
			if s, ok := String(it); ok {
				return s
			}
		}
	}
	return ""
}

// number is key as written: a string, or a JSON number's exact text.
func (f asFields) number(key string) string {
	for _, it := range Items(f[key]) {
		if s, ok := String(it); ok {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

func (f asFields) bool(key string) bool {
	for _, it := range Items(f[key]) {
		return asKind(it) == 't'
	}
	return false
}

// object is the first JSON object of key.
func (f asFields) object(key string) (asFields, bool) {
	for _, it := range Items(f[key]) {
		var o asFields
		if asKind(it) == '{' && json.Unmarshal(it, &o) == nil {
			return o, true
		}
	}
	return nil, false
}

// list is a list of strings: an array, a single string, or a JSON-LD
// {"@list": [...]} or {"@set": [...]} object.
func (f asFields) list(key string) []string {
	var out []string
	for _, it := range Items(f[key]) {
		if asKind(it) == '{' {
			var o asFields
			if json.Unmarshal(it, &o) == nil && (o["@list"] != nil || o["@set"] != nil) {
				out = append(out, o.list("@list")...)
				out = append(out, o.list("@set")...)
				continue
			}
		}
		if s, ok := String(it); ok {
			out = append(out, s)
		}
	}
	return out
}

// types reads type (or @type), without "as:" or the ActivityStreams
// namespace.
func (f asFields) types() []string {
	v := f["type"]
	if v == nil {
		v = f["@type"]
	}
	var out []string
	for _, it := range Items(v) {
		if s, ok := String(it); ok && strings.TrimSpace(s) != "" {
			out = append(out, asTypeName(s))
		}
	}
	return out
}

func asTypeName(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "https://www.w3.org/ns/activitystreams#")
	return strings.TrimPrefix(s, "as:")
}

// iris reads IRIs: strings, or the id (or href) of embedded objects.
func (f asFields) iris(key string) []string {
	var out []string
	for _, it := range Items(f[key]) {
		switch asKind(it) {
		case '"':
			if s, _ := String(it); strings.TrimSpace(s) != "" {
				out = append(out, strings.TrimSpace(s))
			}
		case '{':
			var o asFields
			if json.Unmarshal(it, &o) == nil {
				for _, k := range []string{"id", "@id", "href"} {
					if s := o.str(k); s != "" {
						out = append(out, s)
						break
					}
				}
			}
		}
	}
	return out
}

func (f asFields) iri(key string) string {
	if l := f.iris(key); len(l) > 0 {
		return l[0]
	}
	return ""
}

// asPublicForms are the spellings of the public address servers send.
var asPublicForms = map[string]bool{
	PublicIRI: true, "as:Public": true, "Public": true,
	"http://www.w3.org/ns/activitystreams#Public": true,
}

// audience reads addressing IRIs, writing the public address as PublicIRI.
func (f asFields) audience(key string) []string {
	l := f.iris(key)
	for i, s := range l {
		if asPublicForms[s] {
			l[i] = PublicIRI
		}
	}
	return l
}

func asHasPublic(lists ...[]string) bool {
	for _, l := range lists {
		for _, s := range l {
			if s == PublicIRI {
				return true
			}
		}
	}
	return false
}

// refs reads IRIs and embedded objects, up to maxEmbedded objects in all.
func (p *asParser) refs(f asFields, key string) ([]Ref, error) {
	var out []Ref
	for _, it := range Items(f[key]) {
		switch asKind(it) {
		case '"':
			if s, _ := String(it); strings.TrimSpace(s) != "" {
				out = append(out, Ref{IRI: strings.TrimSpace(s)})
			}
		case '{':
			if p.embedded == maxEmbedded {
				continue
			}
			p.embedded++
			o, err := p.parseObject(it, false)
			if err != nil {
				return nil, err
			}
			out = append(out, Ref{IRI: o.ID, Object: o})
		}
	}
	return out, nil
}

// langMap reads a language map such as contentMap.
func (f asFields) langMap(key string) map[string]string {
	o, ok := f.object(key)
	if !ok {
		return nil
	}
	m := map[string]string{}
	for lang, v := range o {
		if s, ok := String(v); ok {
			m[lang] = s
		}
	}
	return m
}

// lang reads key, or when it is empty the best entry of its language map:
// "und", then "en", then the first language in order.
func (f asFields) lang(key, mapKey string, m map[string]string) string {
	if s := f.str(key); s != "" {
		return s
	}
	if m == nil {
		m = f.langMap(mapKey)
	}
	for _, l := range []string{"und", "en"} {
		if s, ok := m[l]; ok {
			return s
		}
	}
	langs := make([]string, 0, len(m))
	for l := range m {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	if len(langs) > 0 {
		return m[langs[0]]
	}
	return ""
}

// source reads source as an object or a plain string, or Misskey's
// _misskey_content.
func (f asFields) source() *Source {
	if o, ok := f.object("source"); ok {
		return &Source{Content: o.str("content"), MediaType: o.str("mediaType")}
	}
	if s := f.str("source"); s != "" {
		return &Source{Content: s}
	}
	if s := f.str("_misskey_content"); s != "" {
		return &Source{Content: s, MediaType: "text/x.misskeymarkdown"}
	}
	return nil
}

// asTimeLayouts are the date formats servers send, most common first.
var asTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	time.RFC1123Z,
	time.RFC1123,
	"2006-01-02",
}

// time reads a date; an absent or unreadable one is zero. Dates without a
// zone are taken as UTC.
func (f asFields) time(key string) time.Time {
	s := strings.TrimSpace(f.str(key))
	if s == "" {
		return time.Time{}
	}
	for _, layout := range asTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// links reads a url, icon or image: a string, a Link or Image object (href
// or url), or an array of them.
func (f asFields) links(key string) []Link {
	var out []Link
	for _, it := range Items(f[key]) {
		switch asKind(it) {
		case '"':
			if s, _ := String(it); strings.TrimSpace(s) != "" {
				out = append(out, Link{Href: strings.TrimSpace(s)})
			}
		case '{':
			var o asFields
			if json.Unmarshal(it, &o) != nil {
				continue
			}
			l := Link{Type: asTypeName(o.str("type")), Href: o.str("href"), MediaType: o.str("mediaType"), Name: o.str("name")}
			if l.Href == "" {
				if inner := o.links("url"); len(inner) > 0 {
					l.Href = inner[0].Href
					if l.MediaType == "" {
						l.MediaType = inner[0].MediaType
					}
				}
			}
			for _, r := range Items(o["rel"]) {
				if s, ok := String(r); ok {
					l.Rel = append(l.Rel, s)
				}
			}
			if l.Href != "" {
				out = append(out, l)
			}
		}
	}
	return out
}

// asPageURL picks the HTML page among links.
func asPageURL(links []Link) string {
	for _, l := range links {
		if strings.HasPrefix(l.MediaType, "text/html") {
			return l.Href
		}
	}
	for _, l := range links {
		if l.MediaType == "" {
			return l.Href
		}
	}
	if len(links) > 0 {
		return links[0].Href
	}
	return ""
}

// tags reads tag: objects, or bare IRIs (kept as Href).
func (f asFields) tags() []Tag {
	var out []Tag
	for _, it := range Items(f["tag"]) {
		switch asKind(it) {
		case '"':
			if s, _ := String(it); s != "" {
				out = append(out, Tag{Href: s})
			}
		case '{':
			var o asFields
			if json.Unmarshal(it, &o) != nil {
				continue
			}
			t := Tag{Type: asTypeName(o.str("type")), ID: o.str("id"), Name: o.str("name"),
				Href: o.str("href"), MediaType: o.str("mediaType")}
			if t.Href == "" {
				t.Href = o.iri("url")
			}
			if icons := o.links("icon"); len(icons) > 0 {
				t.Icon = &icons[0]
			}
			out = append(out, t)
		}
	}
	return out
}

// attachments reads attachment: objects, or bare URLs.
func (f asFields) attachments() []Attachment {
	var out []Attachment
	for _, it := range Items(f["attachment"]) {
		switch asKind(it) {
		case '"':
			if s, _ := String(it); s != "" {
				out = append(out, Attachment{URL: s})
			}
		case '{':
			var o asFields
			if json.Unmarshal(it, &o) != nil {
				continue
			}
			a := Attachment{Type: asTypeName(o.str("type")), MediaType: o.str("mediaType"),
				Name: o.str("name"), Value: o.str("value"), Blurhash: o.str("blurhash"),
				Width: o.int("width"), Height: o.int("height")}
			if a.Type == "Link" {
				a.URL = o.str("href")
			}
			if a.URL == "" {
				if l := o.links("url"); len(l) > 0 {
					a.URL = l[0].Href
					if a.MediaType == "" {
						a.MediaType = l[0].MediaType
					}
				}
			}
			if a.URL == "" {
				a.URL = o.str("href")
			}
			out = append(out, a)
		}
	}
	return out
}

func (f asFields) int(key string) int {
	var n int
	for _, it := range Items(f[key]) {
		if json.Unmarshal(it, &n) == nil {
			return n
		}
	}
	return 0
}

// AbsoluteHTTP reports whether s is an absolute http or https URL.
func AbsoluteHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.Opaque == ""
}

// Host is the lower-case host (and port) of an absolute URL, or "".
func Host(s string) string {
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() {
		return ""
	}
	return strings.ToLower(u.Host)
}

// SameOrigin reports whether a and b are absolute URLs with one scheme
// and host.
func SameOrigin(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host != "" &&
		strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host)
}

func asIsActivityMediaType(mt string) bool {
	return strings.HasPrefix(mt, "application/activity+json") ||
		(strings.HasPrefix(mt, "application/ld+json") && strings.Contains(mt, "activitystreams"))
}

// Clip shortens s for an error message.
func Clip(s string) string {
	if r := []rune(s); len(r) > 100 {
		return string(r[:100]) + "…"
	}
	return s
}

// IRI is the first IRI of a value: a string, or the id (or href) of an
// embedded object; "" when none.
func IRI(v json.RawMessage) string {
	return asFields{"v": v}.iri("v")
}
