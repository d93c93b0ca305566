package federation_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/convert"
	"github.com/pollen-coop/pollen/testrig"
)

// parseFixture reads one captured GoToSocial request's body_raw.
func parseFixture(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		BodyRaw string `json:"body_raw"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return []byte(f.BodyRaw)
}

const (
	gtsAlice  = "http://localhost:50445/users/alice"
	gtsBob    = "http://127.0.0.1:36029/users/bob"
	gtsStatus = "http://localhost:50445/users/alice/statuses/01M8E76ZSDP6CZFA7TP1FP4APZ"
)

func TestParseGoToSocialFixtures(t *testing.T) {
	dir := testrig.Shared(t, "fixtures/gotosocial")
	check := map[string]func(t *testing.T, a ap.Activity){
		"00-inbox-Accept.json": func(t *testing.T, a ap.Activity) {
			f := a.Object.Object
			if a.Type != "Accept" || f == nil || f.Type != "Follow" || f.Actor != gtsBob || f.Object.IRI != gtsAlice ||
				a.Object.IRI != "http://127.0.0.1:36029/users/bob#follows/1" || !reflect.DeepEqual(a.To, []string{gtsBob}) {
				t.Errorf("accept = %+v, follow %+v", a, f)
			}
		},
		"01-inbox-Follow.json": func(t *testing.T, a ap.Activity) {
			if a.Type != "Follow" || a.Object.IRI != gtsBob || a.Object.Object != nil || a.IsPublic() {
				t.Errorf("follow = %+v", a)
			}
		},
		"02-inbox-Create-Note.json": func(t *testing.T, a ap.Activity) {
			n := a.Object.Object
			if a.Type != "Create" || n == nil || n.Type != "Note" || n.ID != gtsStatus || !n.IsPublic() || !a.IsPublic() {
				t.Fatalf("create = %+v", a)
			}
			if !reflect.DeepEqual(n.Hashtags(), []string{"libraries"}) || !reflect.DeepEqual(n.Mentions(), []string{gtsBob}) {
				t.Errorf("hashtags %q, mentions %q", n.Hashtags(), n.Mentions())
			}
			if !strings.Contains(n.Content, "mutual turns three") || n.ContentMap["en"] != n.Content ||
				n.URL != "http://localhost:50445/@alice/statuses/01M8E76ZSDP6CZFA7TP1FP4APZ" ||
				n.Replies.IRI != gtsStatus+"/replies" || n.Replies.Type() != "Collection" ||
				!n.Published.Equal(time.Date(2026, 11, 27, 10, 1, 0, 0, time.UTC)) || n.Extra["interactionPolicy"] == nil {
				t.Errorf("note = %+v", n)
			}
			if !reflect.DeepEqual(a.Cc, []string{gtsAlice + "/followers", gtsBob}) {
				t.Errorf("cc = %q", a.Cc)
			}
		},
		"03-inbox-Update-Note.json": func(t *testing.T, a ap.Activity) {
			n := a.Object.Object
			if a.Type != "Update" || n == nil || n.ID != gtsStatus || !n.Updated.Equal(time.Date(2026, 11, 27, 10, 1, 1, 0, time.UTC)) ||
				!strings.Contains(n.Content, "turns three!") {
				t.Errorf("update = %+v", n)
			}
		},
		"04-inbox-Create-Note.json": func(t *testing.T, a ap.Activity) {
			n := a.Object.Object
			if n == nil || n.InReplyTo != gtsStatus || !reflect.DeepEqual(n.Cc, []string{gtsAlice + "/followers"}) {
				t.Fatalf("reply = %+v", n)
			}
			r, err := convert.ToNote(*n, 0)
			if err != nil || r.AuthorIRI != gtsAlice || r.Content != "<p>A reply in thread</p>" || r.Visibility != "public" {
				t.Errorf("ToNote = %+v, %v", r, err)
			}
		},
		"05-inbox-Announce.json": func(t *testing.T, a ap.Activity) {
			if a.Type != "Announce" || a.Object.IRI != gtsStatus || a.Object.Object != nil || !a.IsPublic() ||
				!reflect.DeepEqual(a.To, []string{gtsAlice + "/followers"}) || a.Published.IsZero() {
				t.Errorf("announce = %+v", a)
			}
		},
		"06-inbox-Delete.json": func(t *testing.T, a ap.Activity) {
			if a.Type != "Delete" || a.Object.IRI != gtsStatus || a.Actor != gtsAlice || a.Host() != "localhost:50445" {
				t.Errorf("delete = %+v", a)
			}
		},
		"07-inbox-Update-Person.json": func(t *testing.T, a ap.Activity) {
			p := a.Object.Object
			if a.Type != "Update" || p == nil || p.Type != "Person" || p.ID != gtsAlice || p.Name != "alice" ||
				p.URL != "http://localhost:50445/@alice" || p.Extra["publicKey"] == nil || p.Extra["inbox"] == nil {
				t.Errorf("update person = %+v", p)
			}
		},
		"08-inbox-Undo-Follow.json": func(t *testing.T, a ap.Activity) {
			f := a.Object.Object
			if a.Type != "Undo" || f == nil || f.Type != "Follow" || f.Actor != gtsAlice || f.Object.IRI != gtsBob ||
				f.Activity().Object.IRI != gtsBob {
				t.Errorf("undo = %+v, follow %+v", a, f)
			}
		},
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*-inbox-*.json"))
	if len(names) != len(check) {
		t.Errorf("%d inbox fixtures, %d checks", len(names), len(check))
	}
	for _, path := range names {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			a, err := ap.ParseActivity(parseFixture(t, dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if a.Actor != gtsAlice || len(a.Raw) == 0 || len(a.Context) == 0 {
				t.Errorf("actor %q, raw %d bytes, context %s", a.Actor, len(a.Raw), a.Context)
			}
			if c := check[name]; c != nil {
				c(t, a)
			} else {
				t.Errorf("no check for %s", name)
			}
		})
	}
}

// parseOwn reads a fixture from testdata/activities.
func parseOwn(t *testing.T, name string) ap.Activity {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "activities", name))
	if err != nil {
		t.Fatal(err)
	}
	a, err := ap.ParseActivity(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return a
}

func TestParseMastodonShapes(t *testing.T) {
	a := parseOwn(t, "mastodon-create-note.json")
	n := a.Object.Object
	if n == nil || n.Summary != "" || n.InReplyTo != "" || len(n.Tag) != 3 || !n.IsPublic() {
		t.Fatalf("note = %+v", n)
	}
	emoji := n.Tag[2]
	if emoji.Type != "Emoji" || emoji.Name != ":blobcat:" || emoji.Icon == nil || emoji.Icon.Href != "https://files.mastodon.example/emoji/blobcat.png" {
		t.Errorf("emoji = %+v", emoji)
	}
	att := n.Attachment
	if len(att) != 1 || att[0].URL != "https://files.mastodon.example/media/1.jpg" || att[0].MediaType != "image/jpeg" ||
		att[0].Width != 1200 || att[0].Blurhash == "" {
		t.Errorf("attachment = %+v", att)
	}
	if n.Conversation == "" || n.Extra["atomUri"] == nil || n.Extra["likes"] == nil {
		t.Errorf("conversation %q, extra %v", n.Conversation, n.Extra)
	}
	c, err := convert.ToCaseStudy(*n)
	if err != nil || c.Title == "" || !reflect.DeepEqual([]string(c.Tags), []string{"libraries"}) || len(c.Attachments) != 1 {
		t.Errorf("case study = %+v, %v", c, err)
	}

	a = parseOwn(t, "mastodon-create-article.json")
	c, err = convert.ToCaseStudy(*a.Object.Object)
	if err != nil || c.Title != "Spinning out our leisure centres" || c.Summary != "Three years as a leisure trust." ||
		!c.Updated.After(c.Published) || !reflect.DeepEqual([]string(c.Tags), []string{"Leisure", "mutuals"}) {
		t.Errorf("article = %+v, %v", c, err)
	}

	a = parseOwn(t, "mastodon-delete-tombstone.json")
	if a.Type != "Delete" || a.Object.Type() != "Tombstone" || a.Object.IRI != "https://mastodon.example/users/ann/statuses/113000000000000001" ||
		a.Extra["signature"] == nil {
		t.Errorf("delete = %+v", a)
	}

	a = parseOwn(t, "mastodon-undo-announce.json")
	if a.Type != "Undo" || a.Object.Type() != "Announce" || a.Object.Object.Object.IRI != "https://pollen.example/case-studies/libraries" {
		t.Errorf("undo = %+v", a)
	}

	a = parseOwn(t, "mastodon-update-person.json")
	p := a.Object.Object
	if p == nil || p.Type != "Person" || p.Icon == nil || p.Icon.Href != "https://files.mastodon.example/avatars/ann.png" ||
		p.Image == nil || p.Image.MediaType != "image/jpeg" || len(p.Attachment) != 1 || p.Attachment[0].Value == "" ||
		p.Extra["endpoints"] == nil || p.Extra["publicKey"] == nil {
		t.Errorf("person = %+v", p)
	}
}

func TestParsePleromaShapes(t *testing.T) {
	a := parseOwn(t, "pleroma-create-note.json")
	if a.Actor != "https://akkoma.example/users/bea" || !a.IsPublic() || a.Extra["context"] != nil {
		// context is read into the object's Conversation, not Extra
		t.Errorf("activity = %+v", a)
	}
	n := a.Object.Object
	if n == nil || !reflect.DeepEqual(n.To, []string{ap.PublicIRI}) || n.Conversation == "" ||
		n.Source == nil || n.Source.MediaType != "text/plain" || n.Published.Nanosecond() != 36477000 {
		t.Fatalf("note = %+v", n)
	}
	r, err := convert.ToNote(*n, 0)
	if err != nil || r.InReplyTo != "https://pollen.example/case-studies/libraries" || !strings.Contains(r.Content, "pensions") {
		t.Errorf("reply = %+v, %v", r, err)
	}
}

func TestParseMisskeyShapes(t *testing.T) {
	n := parseOwn(t, "misskey-create-note.json").Object.Object
	if n == nil || n.URL != "https://misskey.example/notes/9zzabc123def" || len(n.URLs) != 2 ||
		n.Quote != "https://pollen.example/case-studies/housing" || n.Source == nil ||
		n.Source.MediaType != "text/x.misskeymarkdown" || n.Published.Nanosecond() != 456e6 {
		t.Fatalf("note = %+v", n)
	}
	c, err := convert.ToCaseStudy(*n)
	if err != nil || c.Body != "" || c.Title != "Quoting this #housing case study :party:" || !reflect.DeepEqual([]string(c.Tags), []string{"housing"}) {
		t.Errorf("case study = %+v, %v", c, err)
	}
}

func TestParseLemmyShapes(t *testing.T) {
	a := parseOwn(t, "lemmy-announce-page.json")
	create := a.Object.Object
	if a.Type != "Announce" || a.Actor != "https://lemmy.example/c/publicservices" || create == nil || create.Type != "Create" {
		t.Fatalf("announce = %+v", a)
	}
	page := create.Object.Object
	if page == nil || page.Type != "Page" || !reflect.DeepEqual(page.Audience, []string{"https://lemmy.example/c/publicservices"}) ||
		page.Extra["language"] == nil {
		t.Fatalf("page = %+v", page)
	}
	c, err := convert.ToCaseStudy(*page)
	if err != nil || c.Title != "Youth services mutual: two years on" || c.Body != "We wrote up what worked." ||
		len(c.Attachments) != 1 || c.Attachments[0].URL != "https://youth.example/report.pdf" ||
		!c.Published.Equal(time.Date(2026, 2, 9, 15, 10, 51, 557399000, time.UTC)) {
		t.Errorf("case study = %+v, %v", c, err)
	}
}

func TestParseWordPressShapes(t *testing.T) {
	a := parseOwn(t, "wordpress-create-article.json")
	c, err := convert.ToCaseStudy(*a.Object.Object)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "How our care cooperative started" || c.Summary != "A short history of the cooperative […]" ||
		c.URL != "https://blog.example/2026/02/10/care-cooperative/" || !strings.Contains(c.Content, "church hall") ||
		!reflect.DeepEqual([]string(c.Tags), []string{"SocialCare", "coops"}) || len(c.Attachments) != 1 {
		t.Errorf("case study = %+v", c)
	}
}
