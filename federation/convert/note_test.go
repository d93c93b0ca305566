package convert_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/convert"
	"github.com/pollen-coop/pollen/models"
)

func TestToNoteAddressingAndTags(t *testing.T) {
	note := func(extra map[string]any) ap.Object {
		t.Helper()
		m := map[string]any{"id": "https://m.example/s/1", "type": "Note", "attributedTo": "https://m.example/u/a", "content": "<p>hi</p>"}
		for k, v := range extra {
			m[k] = v
		}
		b, _ := json.Marshal(m)
		o, err := ap.ParseObject(b)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	many := func(n int, f func(i int) map[string]any) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		extra     map[string]any
		vis       string
		hashtags  []string
		mentions  []models.Mention
		nHashtags int
		nMentions int
	}{
		{name: "to public", extra: map[string]any{"to": "https://www.w3.org/ns/activitystreams#Public"}, vis: "public"},
		{name: "cc public", extra: map[string]any{"to": "https://m.example/u/a/followers", "cc": "as:Public"}, vis: "unlisted"},
		{name: "followers only", extra: map[string]any{"to": "https://m.example/u/a/followers"}, vis: ""},
		{name: "tags", extra: map[string]any{"to": "Public", "tag": []any{
			map[string]any{"type": "Hashtag", "name": "#Libraries"},
			map[string]any{"type": "Hashtag", "name": "#libraries"},
			map[string]any{"type": "Hashtag", "name": "#not-valid"},
			map[string]any{"type": "Mention", "href": "https://p.example/actors/org", "name": "@org@p.example"},
			map[string]any{"type": "Mention", "href": "https://p.example/actors/org", "name": "@again"},
			map[string]any{"type": "Mention", "href": "javascript:alert(1)", "name": "@x"},
		}}, vis: "public", hashtags: []string{"Libraries"},
			mentions: []models.Mention{{IRI: "https://p.example/actors/org", Acct: "org@p.example", URL: "https://p.example/actors/org"}}},
		{name: "capped", extra: map[string]any{"to": "Public", "tag": append(
			many(80, func(i int) map[string]any { return map[string]any{"type": "Hashtag", "name": fmt.Sprintf("#t%d", i)} }),
			many(80, func(i int) map[string]any {
				return map[string]any{"type": "Mention", "href": fmt.Sprintf("https://m.example/u/%d", i)}
			})...)},
			vis: "public", nHashtags: convert.MaxNoteHashtags, nMentions: convert.MaxMentions},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := convert.ToNote(note(tc.extra), 0)
			if err != nil {
				t.Fatal(err)
			}
			if n.Visibility != tc.vis {
				t.Errorf("visibility = %q, want %q", n.Visibility, tc.vis)
			}
			if tc.nHashtags > 0 {
				if len(n.Hashtags) != tc.nHashtags || len(n.Mentions) != tc.nMentions {
					t.Errorf("%d hashtags, %d mentions", len(n.Hashtags), len(n.Mentions))
				}
				return
			}
			if !reflect.DeepEqual(n.Hashtags, tc.hashtags) || !reflect.DeepEqual(n.Mentions, tc.mentions) {
				t.Errorf("hashtags %v mentions %+v", n.Hashtags, n.Mentions)
			}
		})
	}
}
