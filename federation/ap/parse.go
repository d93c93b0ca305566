// Package ap reads and writes ActivityStreams: the tolerant parser of
// incoming documents, the vocabulary and the JSON-LD context Pollen serves.
// It imports nothing of Pollen and knows nothing of HTTP statuses.
package ap

import (
	"bytes"
	"encoding/json"
	"time"
)

// Limits on incoming ActivityStreams documents.
const (
	// MaxActivitySize is the largest document ParseActivity and ParseObject
	// accept: 1 MiB.
	MaxActivitySize = 1 << 20
	// MaxActivityDepth is the deepest nesting of JSON objects and arrays
	// they accept. Real documents stay under 10.
	MaxActivityDepth = 32
)

// Activity is an activity received from a peer, read tolerantly:
// every single-or-array, IRI-or-object shape is reduced to the fields Pollen
// uses, and everything else is kept in Extra and Raw.
type Activity struct {
	// Context is the @context as sent (string, array or object).
	Context json.RawMessage
	ID      string
	// Type is the first type; Types has them all.
	Type  string
	Types []string
	// Actor is the actor's IRI (the id of an embedded actor, the first of
	// several actors).
	Actor string
	// Object and Target are the first object and target; Objects has every
	// object when a server sends several.
	Object  Ref
	Objects []Ref
	Target  Ref
	// To, Cc, Bto, Bcc and Audience are IRIs; every spelling of the public
	// address ("as:Public", "Public") is written as PublicIRI.
	To, Cc, Bto, Bcc, Audience []string
	// Published is zero when absent or unreadable.
	Published time.Time
	// Content and Summary are the raw (unsanitised) values, for activities
	// that carry them (EmojiReact, Flag).
	Content, Summary string
	// Extra holds every term not read into a field above.
	Extra map[string]json.RawMessage
	// Raw is the whole document as received.
	Raw json.RawMessage
}

// Ref is a property whose value is an IRI or an embedded object.
type Ref struct {
	// IRI is the IRI given, or the embedded object's id (possibly empty
	// for a transient embedded object).
	IRI string
	// Object is the embedded object; nil when only an IRI was sent.
	Object *Object
}

// IsZero reports whether the property was absent.
func (r Ref) IsZero() bool { return r.IRI == "" && r.Object == nil }

// Type is the embedded object's type, or "" when only an IRI was sent.
func (r Ref) Type() string {
	if r.Object == nil {
		return ""
	}
	return r.Object.Type
}

// ParseActivity reads an incoming activity. It returns an error that is
// ErrTooLarge when body is larger than MaxActivitySize, and ErrMalformed
// when body is not JSON, not a JSON object, nested deeper than
// MaxActivityDepth, lacks an id or a type, or has an id (its own or an
// embedded object's) that is not an absolute http(s) URL; the error's
// message says why and is safe to show. Only the first
// 64 embedded objects of a document are read; Raw keeps the rest.
func ParseActivity(body []byte) (Activity, error) {
	o, err := ParseObject(body)
	if err != nil {
		return Activity{}, err
	}
	return o.Activity(), nil
}

// ParseObject reads an incoming object (a Note, an Article, an actor, a
// collection or an activity) with the same rules and errors as
// ParseActivity.
func ParseObject(body []byte) (Object, error) {
	if len(body) > MaxActivitySize {
		return Object{}, tooLarge("the document is larger than %d bytes", MaxActivitySize)
	}
	if !json.Valid(body) {
		return Object{}, malformed("the document is not JSON")
	}
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return Object{}, malformed("the document is not a JSON object")
	}
	if asDepth(body) > MaxActivityDepth {
		return Object{}, malformed("the document is nested deeper than %d levels", MaxActivityDepth)
	}
	o, err := (&asParser{}).parseObject(bytes.Clone(body), true)
	if err != nil {
		return Object{}, err
	}
	return *o, nil
}

// Activity views an object as an activity: the document itself, or an
// embedded activity such as the Follow inside an Undo or an Accept.
func (o Object) Activity() Activity {
	a := Activity{
		Context: o.Context, ID: o.ID, Type: o.Type, Types: o.Types,
		Actor: o.Actor, Object: o.Object, Objects: o.Objects, Target: o.Target,
		To: o.To, Cc: o.Cc, Bto: o.Bto, Bcc: o.Bcc, Audience: o.Audience,
		Published: o.Published, Content: o.Content, Summary: o.Summary,
		Extra: map[string]json.RawMessage{}, Raw: o.Raw,
	}
	for k, v := range o.Extra {
		a.Extra[k] = v
	}
	return a
}

// IsPublic reports whether the activity is addressed to the public.
func (a Activity) IsPublic() bool {
	return asHasPublic(a.To, a.Cc, a.Bto, a.Bcc, a.Audience)
}

// Host is the lower-case host (with port, if any) of the activity's id.
func (a Activity) Host() string { return Host(a.ID) }

// asDepth is the deepest nesting of objects and arrays in valid JSON.
func asDepth(b []byte) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for _, c := range b {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			deepest = max(deepest, depth)
		case '}', ']':
			depth--
		}
	}
	return deepest
}
