package mastoapi_test

import (
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// Size of the benchmarks' history: statuses by followed accounts.
const (
	benchAccounts = 500
	benchStatuses = 100_000
)

// seededNode is a node on SQLite holding the benchmarks' history, and the
// status id of a status nine tenths of the way down it.
func seededNode(b *testing.B) (*testrig.Node, string) {
	b.Helper()
	n := testrig.StartNode(b, testrig.Options{})
	batch := n.SeedTimeline(b, benchAccounts, benchStatuses)
	deep := batch.CaseStudies[len(batch.CaseStudies)*9/10].StatusID
	return n, strconv.FormatInt(deep, 10)
}

// benchGet GETs url b.N times over one keep-alive connection, with the
// bearer token when it is not "".
func benchGet(b *testing.B, url, token string) {
	b.Helper()
	client := &http.Client{}
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s = %d", url, resp.StatusCode)
		}
	}
}

// BenchmarkHomeTimeline: the home timeline, 40 statuses a page, over
// 100,000 case studies and notes by 500 followed accounts, first page and
// a page deep in the history, through real HTTP to a real node.
func BenchmarkHomeTimeline(b *testing.B) {
	n, deep := seededNode(b)
	path := n.URL + "/api/v1/timelines/home?limit=40"
	b.Run("first", func(b *testing.B) { benchGet(b, path, n.Token) })
	b.Run("deep", func(b *testing.B) { benchGet(b, path+"&max_id="+deep, n.Token) })
}

// BenchmarkPublicTimeline: the public timeline over the same history.
func BenchmarkPublicTimeline(b *testing.B) {
	n, deep := seededNode(b)
	path := n.URL + "/api/v1/timelines/public?limit=40"
	b.Run("first", func(b *testing.B) { benchGet(b, path, "") })
	b.Run("deep", func(b *testing.B) { benchGet(b, path+"&max_id="+deep, "") })
}
