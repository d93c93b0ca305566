package node_test

import (
	"fmt"
	"time"

	"github.com/pollen-coop/pollen/testrig"
)

// mastodonContext is the @context Mastodon 4 sends with a status.
var mastodonContext = []any{
	"https://www.w3.org/ns/activitystreams",
	map[string]any{
		"ostatus": "http://ostatus.org#", "atomUri": "ostatus:atomUri",
		"inReplyToAtomUri": "ostatus:inReplyToAtomUri", "conversation": "ostatus:conversation",
		"sensitive": "as:sensitive", "toot": "http://joinmastodon.org/ns#",
		"votersCount": "toot:votersCount", "Hashtag": "as:Hashtag", "blurhash": "toot:blurhash",
		"focalPoint": map[string]any{"@container": "@list", "@id": "toot:focalPoint"},
	},
}

const public = "https://www.w3.org/ns/activitystreams#Public"

// statusIRI is the id of the Remote's status number n.
func statusIRI(rm *testrig.Remote, n int) string {
	return fmt.Sprintf("%s/statuses/%d", rm.ActorIRI, n)
}

// mastodonNote is status n of the Remote, as Mastodon shapes a public reply
// to inReplyTo that mentions the node's actor.
func mastodonNote(rm *testrig.Remote, n int, inReplyTo string, node *testrig.Node, text string, published time.Time) map[string]any {
	nodeActor := node.URL + "/actors/" + node.Config.Handle
	content := fmt.Sprintf(`<p><span class="h-card" translate="no"><a href="%s" class="u-url mention">@<span>%s</span></a></span> %s</p><script>alert(1)</script>`,
		nodeActor, node.Config.Handle, text)
	return map[string]any{
		"id": statusIRI(rm, n), "type": "Note", "summary": nil, "inReplyTo": inReplyTo,
		"published": published.UTC().Format(time.RFC3339), "url": fmt.Sprintf("%s/@alice/%d", rm.URL, n),
		"attributedTo": rm.ActorIRI, "to": []any{public}, "cc": []any{rm.ActorIRI + "/followers", nodeActor},
		"sensitive": false, "atomUri": statusIRI(rm, n), "inReplyToAtomUri": inReplyTo,
		"conversation": fmt.Sprintf("tag:%s,2026-01-01:objectId=%d:objectType=Conversation", rm.URL, n),
		"content":      content, "contentMap": map[string]any{"en": content},
		"attachment": []any{},
		"tag":        []any{map[string]any{"type": "Mention", "href": nodeActor, "name": handle(node)}},
		"replies": map[string]any{
			"id": statusIRI(rm, n) + "/replies", "type": "Collection",
			"first": map[string]any{"type": "CollectionPage", "next": statusIRI(rm, n) + "/replies?only_other_accounts=true&page=true",
				"partOf": statusIRI(rm, n) + "/replies", "items": []any{}},
		},
	}
}

// mastodonCreate wraps a note in the Create Mastodon sends.
func mastodonCreate(rm *testrig.Remote, note map[string]any) map[string]any {
	return map[string]any{
		"@context": mastodonContext, "id": note["id"].(string) + "/activity", "type": "Create",
		"actor": rm.ActorIRI, "published": note["published"], "to": note["to"], "cc": note["cc"], "object": note,
	}
}

// mastodonUpdate is the Update Mastodon sends after an edit.
func mastodonUpdate(rm *testrig.Remote, note map[string]any, edited time.Time) map[string]any {
	note["updated"] = edited.UTC().Format(time.RFC3339)
	return map[string]any{
		"@context": mastodonContext, "id": fmt.Sprintf("%s#updates/%d", note["id"], edited.Unix()), "type": "Update",
		"actor": rm.ActorIRI, "published": note["updated"], "to": note["to"], "cc": note["cc"], "object": note,
	}
}

// mastodonDelete is the Delete Mastodon sends for a status.
func mastodonDelete(rm *testrig.Remote, note map[string]any) map[string]any {
	return map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", map[string]any{"ostatus": "http://ostatus.org#", "atomUri": "ostatus:atomUri"}},
		"id":       note["id"].(string) + "#delete", "type": "Delete", "actor": rm.ActorIRI, "to": []any{public},
		"object": map[string]any{"id": note["id"], "type": "Tombstone", "atomUri": note["id"]},
	}
}
