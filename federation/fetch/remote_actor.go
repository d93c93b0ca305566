package fetch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/federation/sanitize"
	"github.com/pollen-coop/pollen/models"
)

// remoteActor is an actor document as real servers send it: Mastodon,
// GoToSocial, Pleroma/Akkoma, Misskey. Properties that come as a single
// value or an array, an IRI or an object, are raw and read by the helpers
// below.
type remoteActor struct {
	ID                        string          `json:"id"`
	Type                      json.RawMessage `json:"type"`
	PreferredUsername         string          `json:"preferredUsername"`
	Name                      string          `json:"name"`
	Summary                   string          `json:"summary"`
	URL                       json.RawMessage `json:"url"`
	Icon                      json.RawMessage `json:"icon"`
	Inbox                     string          `json:"inbox"`
	Outbox                    string          `json:"outbox"`
	Followers                 string          `json:"followers"`
	Following                 string          `json:"following"`
	Endpoints                 json.RawMessage `json:"endpoints"`
	PublicKey                 json.RawMessage `json:"publicKey"`
	Published                 string          `json:"published"`
	ManuallyApprovesFollowers bool            `json:"manuallyApprovesFollowers"`
	Discoverable              bool            `json:"discoverable"`
	Indexable                 bool            `json:"indexable"`
	OrgType                   string          `json:"organisationType"`
	Region                    string          `json:"region"`
	ServiceArea               string          `json:"serviceArea"`

	// Owner and PublicKeyPem are set when the document is a key alone.
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

// remoteKey is one entry of publicKey.
type remoteKey struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

// actorTypes are the types an actor document may have.
var actorTypes = map[string]bool{"Person": true, "Service": true, "Application": true, "Group": true, "Organization": true}

// IsActorType reports whether t is a type an actor document may have:
// Person, Service, Application, Group or Organization.
func IsActorType(t string) bool { return actorTypes[t] }

// decodeRemoteActor reads data as an actor or key document. It returns a
// ErrBadAnswer *Error when data is not a JSON object.
func decodeRemoteActor(data []byte) (remoteActor, error) {
	var d remoteActor
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&d); err != nil {
		return d, badAnswer("the remote document is not a JSON object", err)
	}
	return d, nil
}

// types lists the document's types (a string or an array of strings).
func (d remoteActor) types() []string {
	return rawStrings(d.Type)
}

// isActor reports whether one of the document's types is an actor type.
func (d remoteActor) isActor() bool {
	for _, t := range d.types() {
		if actorTypes[t] {
			return true
		}
	}
	return false
}

// keys lists publicKey: one object or an array of them.
func (d remoteActor) keys() []remoteKey {
	var one remoteKey
	if json.Unmarshal(d.PublicKey, &one) == nil && one.ID != "" {
		return []remoteKey{one}
	}
	var many []json.RawMessage
	if json.Unmarshal(d.PublicKey, &many) != nil {
		return nil
	}
	var keys []remoteKey
	for _, m := range many {
		var k remoteKey
		if json.Unmarshal(m, &k) == nil && k.ID != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// key picks the key named keyID, or without one the first key; it returns
// false when there is none.
func (d remoteActor) key(keyID string) (remoteKey, bool) {
	for _, k := range d.keys() {
		if keyID == "" || k.ID == keyID {
			return k, true
		}
	}
	return remoteKey{}, false
}

// toModel checks the document as the actor iri and converts it, keeping
// the key keyID (or the first). The inbox and the shared inbox must be on
// the actor's host (port included). It returns an ErrBadAnswer *Error naming what is
// wrong.
func (d remoteActor) toModel(raw []byte, keyID string, now time.Time) (models.Actor, error) {
	bad := func(format string, args ...any) error {
		return badAnswer(d.ID+": "+fmt.Sprintf(format, args...), nil)
	}
	u, err := url.Parse(d.ID)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return models.Actor{}, bad("the id is not an http or https URL")
	}
	if !d.isActor() {
		return models.Actor{}, bad("the type %s is not an actor type", strings.Join(d.types(), ", "))
	}
	if !isHTTPURL(d.Inbox) {
		return models.Actor{}, bad("the actor has no inbox")
	}
	// What is sent to an actor goes to its own host, never one it names.
	if !httpsig.SameHost(d.Inbox, d.ID) {
		return models.Actor{}, bad("its inbox %s is on another host", httpsig.Quote(d.Inbox))
	}
	if si := sharedInbox(d.Endpoints); si != "" && !httpsig.SameHost(si, d.ID) {
		return models.Actor{}, bad("its shared inbox %s is on another host", httpsig.Quote(si))
	}
	k, ok := d.key(keyID)
	switch {
	case !ok && keyID != "":
		return models.Actor{}, bad("the actor does not list the key %s", keyID)
	case !ok:
		return models.Actor{}, bad("the actor has no publicKey")
	case k.Owner != "" && k.Owner != d.ID:
		return models.Actor{}, bad("its key %s belongs to %s", k.ID, k.Owner)
	case !httpsig.SameHost(k.ID, d.ID):
		return models.Actor{}, bad("its key %s is on another host", k.ID)
	}
	if _, err := httpsig.ParsePublicKeyPEM(k.PublicKeyPem); err != nil {
		return models.Actor{}, bad("its key %s cannot be used (%v)", k.ID, err)
	}
	fetched := now.UTC()
	a := models.Actor{
		IRI: d.ID, Type: d.types()[0], Handle: sanitize.Clip(sanitize.CleanText(d.PreferredUsername), maxShortText), Host: strings.ToLower(u.Host),
		Name: sanitize.Clip(sanitize.CleanText(d.Name), maxShortText), Summary: sanitize.HTML(d.Summary), URL: httpURL(firstURL(d.URL)), IconURL: httpURL(firstURL(d.Icon)),
		Inbox: d.Inbox, SharedInbox: sharedInbox(d.Endpoints), Outbox: httpURL(d.Outbox),
		Followers: httpURL(d.Followers), Following: httpURL(d.Following),
		KeyID: k.ID, PublicKeyPEM: k.PublicKeyPem,
		OrgType:                   sanitize.Clip(sanitize.CleanText(d.OrgType), maxShortText),
		Region:                    sanitize.Clip(sanitize.CleanText(d.Region), maxShortText),
		ServiceArea:               sanitize.Clip(sanitize.CleanText(d.ServiceArea), maxShortText),
		ManuallyApprovesFollowers: d.ManuallyApprovesFollowers, Discoverable: d.Discoverable, Indexable: d.Indexable,
		Raw: strings.ToValidUTF8(strings.ReplaceAll(string(raw), "\x00", ""), "\uFFFD"), FetchedAt: &fetched,
	}
	if a.Name == "" {
		a.Name = a.Handle
	}
	if t, err := time.Parse(time.RFC3339, d.Published); err == nil {
		a.Published = t.UTC()
	}
	return a, nil
}

// httpURL is u when it is an absolute http(s) URL, else "".
func httpURL(u string) string {
	if isHTTPURL(u) {
		return u
	}
	return ""
}

// rawStrings reads a string or an array of strings.
func rawStrings(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one == "" {
			return nil
		}
		return []string{one}
	}
	var many []any
	_ = json.Unmarshal(raw, &many)
	var out []string
	for _, m := range many {
		if s, ok := m.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// firstURL reads the first http(s) URL of a url or icon property: a string,
// a Link or Image object (with url or href, themselves strings, objects or
// arrays), or an array of any of these.
func firstURL(raw json.RawMessage) string {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return ""
	}
	return findURL(v, 0)
}

func findURL(v any, depth int) string {
	if depth > 4 {
		return ""
	}
	switch x := v.(type) {
	case string:
		if isHTTPURL(x) {
			return x
		}
	case []any:
		for _, e := range x {
			if u := findURL(e, depth+1); u != "" {
				return u
			}
		}
	case map[string]any:
		for _, k := range []string{"url", "href"} {
			if u := findURL(x[k], depth+1); u != "" {
				return u
			}
		}
	}
	return ""
}

// sharedInbox reads endpoints.sharedInbox, when there is one.
func sharedInbox(raw json.RawMessage) string {
	var e struct {
		SharedInbox string `json:"sharedInbox"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &e) != nil || !isHTTPURL(e.SharedInbox) {
		return ""
	}
	return e.SharedInbox
}
