package activitypub_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/testrig"
)

// TestActorMastodonChecks follows what Mastodon does on discovering an
// account: WebFinger the handle, fetch the actor, check that the fetched id
// is the URL it fetched, then WebFinger preferredUsername@host back and check
// it names the same id. Ports are part of the host throughout.
func TestActorMastodonChecks(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		host := strings.TrimPrefix(n.URL, "http://")
		self := webfingerSelf(t, n.URL, "acct:org@"+host)
		r := testrig.GetAP(t, self)
		if r.Status != http.StatusOK {
			t.Fatalf("GET actor = %d %s", r.Status, r.Body)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/activity+json") {
			t.Errorf("actor Content-Type %q", ct)
		}
		var a struct {
			ID, Type, PreferredUsername, Name, URL, Inbox, Outbox, Followers, Following, Featured string
			Endpoints                                                                             struct{ SharedInbox string }
			PublicKey                                                                             struct{ ID, Owner, PublicKeyPem string }
			ManuallyApprovesFollowers, Discoverable, Indexable                                    bool
			Icon                                                                                  struct{ URL string }
			Attachment                                                                            []struct{ Type, Name, Value string }
		}
		r.Decode(t, &a)
		if a.ID != self {
			t.Errorf("fetched id %q, want the URL fetched %q", a.ID, self)
		}
		back := webfingerSelf(t, n.URL, "acct:"+a.PreferredUsername+"@"+host)
		if back != a.ID {
			t.Errorf("%s@%s webfingers to %q, want %q", a.PreferredUsername, host, back, a.ID)
		}
		if a.Type != "Organization" || a.Name != "Test Council" {
			t.Errorf("type %q, name %q", a.Type, a.Name)
		}
		if a.PublicKey.ID != a.ID+"#main-key" || a.PublicKey.Owner != a.ID {
			t.Errorf("publicKey %+v", a.PublicKey)
		}
		if _, err := httpsig.ParsePublicKeyPEM(a.PublicKey.PublicKeyPem); err != nil {
			t.Errorf("publicKeyPem: %v", err)
		}
		for name, u := range map[string]string{"inbox": a.Inbox, "outbox": a.Outbox, "followers": a.Followers,
			"following": a.Following, "featured": a.Featured, "sharedInbox": a.Endpoints.SharedInbox, "url": a.URL, "icon": a.Icon.URL} {
			p, err := url.Parse(u)
			if err != nil || p.Scheme+"://"+p.Host != n.URL {
				t.Errorf("%s %q is not on %s", name, u, n.URL)
			}
		}
		if a.ManuallyApprovesFollowers || !a.Discoverable || !a.Indexable {
			t.Errorf("flags: manuallyApprovesFollowers %v, discoverable %v, indexable %v", a.ManuallyApprovesFollowers, a.Discoverable, a.Indexable)
		}
		fields := map[string]string{}
		for _, f := range a.Attachment {
			if f.Type != "PropertyValue" {
				t.Errorf("attachment type %q", f.Type)
			}
			fields[f.Name] = f.Value
		}
		if fields["Region"] != "North West" || fields["Organisation type"] != "council" || !strings.Contains(fields["Website"], `href="`+n.URL+`/@org"`) {
			t.Errorf("profile fields %v", fields)
		}
		for _, c := range []struct{ path, typ string }{{a.Followers, "OrderedCollection"}, {a.Following, "OrderedCollection"}, {a.Featured, "OrderedCollection"}} {
			r := testrig.GetAP(t, c.path)
			m := r.Map(t)
			if m["type"] != c.typ || m["totalItems"] == nil || m["id"] != c.path {
				t.Errorf("%s = %v", c.path, m)
			}
			if vary := r.Header.Values("Vary"); len(vary) != 1 || vary[0] != "Accept" {
				t.Errorf("%s: Vary %q, want Accept once", c.path, vary)
			}
		}
		if items, ok := testrig.GetAP(t, a.Featured).Map(t)["orderedItems"].([]any); !ok || len(items) != 0 {
			t.Errorf("featured items = %v, want an empty list", items)
		}
		testrig.WantError(t, testrig.GetAP(t, n.URL+"/actors/nobody/featured"), http.StatusNotFound)
		// Unknown actor; a browser is sent to the profile page.
		testrig.WantError(t, testrig.GetAP(t, n.URL+"/actors/nobody"), http.StatusNotFound)
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		req, _ := http.NewRequest(http.MethodGet, self, nil)
		req.Header.Set("Accept", "text/html")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != a.URL {
			t.Errorf("browser GET of the actor = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}

func TestHubActorIsAGroup(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) { c.Role = config.RoleHub }})
	if m := testrig.GetAP(t, n.URL+"/actors/org").Map(t); m["type"] != "Group" || m["pollenRole"] != "hub" {
		t.Errorf("hub actor type %v, role %v", m["type"], m["pollenRole"])
	}
}

func webfingerSelf(t *testing.T, base, resource string) string {
	t.Helper()
	r := testrig.Do(t, http.MethodGet, base+"/.well-known/webfinger?resource="+url.QueryEscape(resource), nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("webfinger %s = %d %s", resource, r.Status, r.Body)
	}
	var jrd struct {
		Links []struct{ Rel, Type, Href string }
	}
	r.Decode(t, &jrd)
	for _, l := range jrd.Links {
		if l.Rel == "self" {
			return l.Href
		}
	}
	t.Fatalf("webfinger %s has no self link", resource)
	return ""
}
