package notedoc_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/notedoc"
	"github.com/pollen-coop/pollen/models"
)

func TestBuild(t *testing.T) {
	author := models.Actor{IRI: "https://a.example/actors/org", Followers: "https://a.example/actors/org/followers"}
	published := time.Date(2026, 12, 2, 9, 0, 0, 500, time.UTC)
	n := models.Note{
		IRI: "https://a.example/notes/1", Content: "<p>hi</p>", Summary: "cw", Visibility: models.VisibilityPublic,
		InReplyTo: "https://b.example/case-studies/x", Hashtags: []string{"Leisure"},
		Mentions:  []models.Mention{{IRI: "https://b.example/actors/org", Acct: "org@b.example"}},
		Published: published, Updated: published,
	}
	for _, c := range []struct {
		visibility string
		want       string
	}{
		{models.VisibilityPublic, `"to":["` + ap.PublicIRI + `"],"cc":["https://a.example/actors/org/followers","https://b.example/actors/org"]`},
		{models.VisibilityUnlisted, `"to":["https://a.example/actors/org/followers"],"cc":["` + ap.PublicIRI + `","https://b.example/actors/org"]`},
	} {
		n.Visibility = c.visibility
		b, _ := json.Marshal(notedoc.Create(notedoc.Build(n, author, func(p string) string { return "https://a.example" + p })))
		got := string(b)
		for _, w := range []string{
			`"id":"https://a.example/notes/1#create","type":"Create","actor":"https://a.example/actors/org","published":"2026-12-02T09:00:00Z",` + c.want,
			`"object":{"id":"https://a.example/notes/1","type":"Note","attributedTo":"https://a.example/actors/org","inReplyTo":"https://b.example/case-studies/x","summary":"cw","sensitive":true,"content":"\u003cp\u003ehi\u003c/p\u003e","mediaType":"text/html","url":"https://a.example/notes/1","published":"2026-12-02T09:00:00Z",`,
			`"tag":[{"type":"Mention","href":"https://b.example/actors/org","name":"@org@b.example"},{"type":"Hashtag","href":"https://a.example/tags/leisure","name":"#Leisure"}]`,
		} {
			if !strings.Contains(got, w) {
				t.Errorf("%s: no %s in\n%s", c.visibility, w, got)
			}
		}
	}
	b, _ := json.Marshal(notedoc.Delete(n, author, published.Add(time.Hour)))
	if want := `"object":{"id":"https://a.example/notes/1","type":"Tombstone","formerType":"Note","deleted":"2026-12-02T10:00:00Z"}`; !strings.Contains(string(b), want) {
		t.Errorf("Delete = %s", b)
	}
}
