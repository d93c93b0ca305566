package mastoapi_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/testrig"
)

// account checks an Account entity against Mastodon's documentation:
// every attribute clients read, of its type.
func account(t *testing.T, a map[string]any, host string) {
	t.Helper()
	for _, k := range []string{"id", "username", "acct", "url", "uri", "display_name", "note", "avatar",
		"avatar_static", "header", "header_static", "created_at"} {
		if s, ok := a[k].(string); !ok || (s == "" && k != "note") {
			t.Errorf("account %s = %#v, want a string", k, a[k])
		}
	}
	for _, k := range []string{"locked", "bot", "group", "discoverable"} {
		if _, ok := a[k].(bool); !ok {
			t.Errorf("account %s = %#v, want a bool", k, a[k])
		}
	}
	for _, k := range []string{"statuses_count", "followers_count", "following_count"} {
		if _, ok := a[k].(float64); !ok {
			t.Errorf("account %s = %#v, want a number", k, a[k])
		}
	}
	for _, k := range []string{"fields", "emojis"} {
		if _, ok := a[k].([]any); !ok {
			t.Errorf("account %s = %#v, want an array", k, a[k])
		}
	}
	if _, ok := a["last_status_at"]; !ok {
		t.Error("account has no last_status_at (null or a date)")
	}
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT00:00:00\.000Z$`).MatchString(a["created_at"].(string)) {
		t.Errorf("created_at %v, want Mastodon's date at midnight", a["created_at"])
	}
	if a["username"] != "org" || a["acct"] != "org" || a["display_name"] != "Test Council" ||
		a["bot"] != false || a["group"] != false || a["locked"] != false {
		t.Errorf("account = %v", a)
	}
	if a["avatar"] != "http://"+host+"/static/icon.png" || a["header"] != "http://"+host+"/static/icon.png" {
		t.Errorf("avatar %v, header %v: want the node's icon by default", a["avatar"], a["header"])
	}
	if a["statuses_count"] != 1.0 {
		t.Errorf("statuses_count %v, want 1", a["statuses_count"])
	}
	fields, _ := a["fields"].([]any)
	if len(fields) == 0 {
		t.Fatal("no profile fields")
	}
	f := fields[0].(map[string]any)
	if f["name"] != "Website" || !strings.Contains(f["value"].(string), "<a href=") {
		t.Errorf("first field %v", f)
	}
	if v, ok := f["verified_at"]; !ok || v != nil {
		t.Errorf("verified_at %v, want null", v)
	}
}

// configuration checks the limits both instance versions carry.
func configuration(t *testing.T, c map[string]any) {
	t.Helper()
	statuses, _ := c["statuses"].(map[string]any)
	if statuses["max_characters"] != float64(config.Default().MaxReplyChars) || statuses["characters_reserved_per_url"] == nil ||
		statuses["max_media_attachments"] == nil {
		t.Errorf("configuration.statuses = %v", statuses)
	}
	media, _ := c["media_attachments"].(map[string]any)
	if types, _ := media["supported_mime_types"].([]any); len(types) == 0 || media["image_size_limit"] == nil {
		t.Errorf("configuration.media_attachments = %v", media)
	}
	polls, _ := c["polls"].(map[string]any)
	for _, k := range []string{"max_options", "max_characters_per_option", "min_expiration", "max_expiration"} {
		if _, ok := polls[k].(float64); !ok {
			t.Errorf("configuration.polls.%s = %v", k, polls[k])
		}
	}
}

func TestInstance(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		n.Publish(t, testrig.CaseStudyBody())
		host := strings.TrimPrefix(n.URL, "http://")
		version := regexp.MustCompile(`^4\.3\.0 \(compatible; Pollen \d+\.\d+\.\d+\S*\)$`)

		r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/instance", nil, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("v1 instance = %d %s", r.Status, r.Body)
		}
		v1 := r.Map(t)
		if v1["uri"] != host || v1["title"] != "Test Council" || !version.MatchString(v1["version"].(string)) ||
			v1["registrations"] != false || v1["approval_required"] != false || v1["thumbnail"] == "" ||
			v1["description"] != "Case studies from our organisation, shared with peers." {
			t.Errorf("v1 instance = %s", r.Body)
		}
		if urls, _ := v1["urls"].(map[string]any); urls == nil || urls["streaming_api"] != nil {
			t.Errorf("v1 urls = %v, want an object without streaming", v1["urls"])
		}
		if stats, _ := v1["stats"].(map[string]any); stats["user_count"] != 1.0 || stats["status_count"] != 1.0 {
			t.Errorf("v1 stats = %v", v1["stats"])
		}
		if rules, ok := v1["rules"].([]any); !ok || len(rules) != 0 {
			t.Errorf("v1 rules = %v, want []", v1["rules"])
		}
		if langs, _ := v1["languages"].([]any); len(langs) == 0 {
			t.Errorf("v1 languages = %v", v1["languages"])
		}
		configuration(t, v1["configuration"].(map[string]any))
		account(t, v1["contact_account"].(map[string]any), host)

		r = testrig.Do(t, http.MethodGet, n.URL+"/api/v2/instance", nil, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("v2 instance = %d %s", r.Status, r.Body)
		}
		v2 := r.Map(t)
		if v2["domain"] != host || v2["title"] != "Test Council" || !version.MatchString(v2["version"].(string)) ||
			v2["source_url"] == "" || v2["description"] != v1["description"] {
			t.Errorf("v2 instance = %s", r.Body)
		}
		if th, _ := v2["thumbnail"].(map[string]any); th["url"] != v1["thumbnail"] {
			t.Errorf("v2 thumbnail = %v", v2["thumbnail"])
		}
		if reg, _ := v2["registrations"].(map[string]any); reg["enabled"] != false || reg["approval_required"] != false {
			t.Errorf("v2 registrations = %v", v2["registrations"])
		}
		if u, _ := v2["usage"].(map[string]any); u["users"].(map[string]any)["active_month"] != 1.0 {
			t.Errorf("v2 usage = %v", v2["usage"])
		}
		conf := v2["configuration"].(map[string]any)
		configuration(t, conf)
		if urls, _ := conf["urls"].(map[string]any); urls == nil || urls["streaming"] != nil {
			t.Errorf("v2 configuration.urls = %v, want an object without streaming", conf["urls"])
		}
		if rules, ok := v2["rules"].([]any); !ok || len(rules) != 0 {
			t.Errorf("v2 rules = %v, want []", v2["rules"])
		}
		contact := v2["contact"].(map[string]any)
		if _, ok := contact["email"].(string); !ok {
			t.Errorf("v2 contact.email = %v", contact["email"])
		}
		account(t, contact["account"].(map[string]any), host)
	})
}

// TestInstanceOrganisation: the contact account follows the organisation's
// settings: locked when it approves followers by hand, a group on a hub,
// its icon as avatar.
func TestInstanceOrganisation(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) {
		c.Role, c.ManuallyApprovesFollowers = config.RoleHub, true
		c.IconURL = "https://example.org/logo.png"
	}})
	var in struct {
		Contact struct {
			Account struct {
				Locked, Group, Bot bool
				Avatar             string
			}
		}
	}
	testrig.Do(t, http.MethodGet, n.URL+"/api/v2/instance", nil, nil).Decode(t, &in)
	a := in.Contact.Account
	if !a.Locked || !a.Group || a.Bot || a.Avatar != "https://example.org/logo.png" {
		t.Errorf("hub's account = %+v", a)
	}
}
