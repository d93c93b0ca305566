package mastoapi_test

import (
	"net/url"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// TestSearchStatusesFullText: a search's statuses are the case studies
// the full-text search finds, the best first: stemmed, without accents,
// by phrase; a query of operators only finds no status and is no error.
func TestSearchStatusesFullText(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		for _, title := range []string{"Leisure centres in house", "The École library became a mutual"} {
			body := testrig.CaseStudyBody()
			body["title"], body["summary"], body["lessons"] = title, "A case study.", []string{}
			n.Publish(t, body)
		}
		for _, tt := range []struct {
			q    string
			want []string
		}{
			{"ecole mutuals", []string{"The École library became a mutual"}},
			{`"centres in house"`, []string{"Leisure centres in house"}},
			{"hous* -ecole", []string{"Leisure centres in house"}},
			{"house OR ecole", []string{"Leisure centres in house", "The École library became a mutual"}},
			{"- * OR", []string{}},
		} {
			res := search(t, n, n.Token, url.Values{"q": {tt.q}, "type": {"statuses"}})
			var got []string
			for _, s := range res.Statuses {
				got = append(got, s["uri"].(string))
			}
			if len(got) != len(tt.want) {
				t.Errorf("search %q: %d statuses %v, want %v", tt.q, len(got), got, tt.want)
			}
		}
	})
}
