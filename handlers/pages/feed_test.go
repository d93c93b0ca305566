package pages_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/pollen-coop/pollen/testrig"
)

// feedNode is a node holding two case studies of its own (libraries,
// youth services) and one received from a peer (adult social care,
// tagged mutuals, the oldest).
func feedNode(t *testing.T, n *testrig.Node) {
	t.Helper()
	n.SaveRemoteCaseStudy(t, testrig.RemoteCaseStudy{
		Host: "peer.example", Handle: "care", Name: "Care Mutual", Title: "Home care as a mutual",
		Summary: "Carers own the service.", ServiceArea: "adult social care", Tags: []string{"mutuals"},
		Published: time.Date(2023, 5, 1, 9, 0, 0, 0, time.UTC),
	})
	libraries := testrig.CaseStudyBody()
	libraries["body"] = libraries["body"].(string) + "\n\n![Our logo](/static/icon.png) and [the report](/static/report.pdf)."
	n.Publish(t, libraries)
	youth := testrig.CaseStudyBody()
	youth["title"], youth["service_area"], youth["tags"] = "Youth clubs kept open", "youth services", []string{"youth"}
	youth["published"] = "2025-01-01T09:00:00Z"
	n.Publish(t, youth)
}

// parseFeed fetches path from n and parses it with gofeed, checking its
// Content-Type; it returns the feed and the answer.
func parseFeed(t *testing.T, n *testrig.Node, path, contentType string) (*gofeed.Feed, testrig.Response) {
	t.Helper()
	r := testrig.Do(t, http.MethodGet, n.URL+path, nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s = %d %s", path, r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != contentType+"; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q, want %s", path, ct, contentType)
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatalf("GET %s: gofeed: %v\n%s", path, err, r.Body)
	}
	return f, r
}

var formats = []struct{ ext, contentType, feedType string }{
	{".atom", "application/atom+xml", "atom"},
	{".rss", "application/rss+xml", "rss"},
	{".json", "application/feed+json", "json"},
}

func TestFeeds(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		feedNode(t, n)
		page := n.URL + "/case-studies/keeping-the-libraries-open"
		for _, f := range formats {
			t.Run("regional"+f.ext, func(t *testing.T) {
				feed, _ := parseFeed(t, n, "/feed"+f.ext, f.contentType)
				if feed.FeedType != f.feedType {
					t.Errorf("feed type %q, want %q", feed.FeedType, f.feedType)
				}
				if got := itemTitles(feed); got != "Youth clubs kept open; Keeping the libraries open; Home care as a mutual" {
					t.Errorf("items %q", got)
				}
				libraries, care := feed.Items[1], feed.Items[2]
				if libraries.Link != page {
					t.Errorf("link %q, want the page %q", libraries.Link, page)
				}
				if !strings.HasPrefix(care.Link, n.URL+"/feed/items/") {
					t.Errorf("received item's link %q, want its page on this node", care.Link)
				}
				if got := strings.Join(libraries.Categories, " "); got != "libraries mutuals" {
					t.Errorf("categories %q, want the service area and the tags", got)
				}
				if got := strings.Join(care.Categories, " "); got != "adult social care mutuals" {
					t.Errorf("received item's categories %q", got)
				}
				if len(libraries.Authors) != 1 || libraries.Authors[0].Name == "" {
					t.Errorf("authors %+v", libraries.Authors)
				}
				if len(care.Authors) != 1 || care.Authors[0].Name != "Care Mutual" {
					t.Errorf("received item's authors %+v", care.Authors)
				}
				for _, want := range []string{"<h2>Lessons for peers</h2>", "<li>Start early</li>", "Savings: £125,000 a year", "<strong>did</strong>", page,
					`src="` + n.URL + `/static/icon.png"`, `href="` + n.URL + `/static/report.pdf"`} {
					if !strings.Contains(libraries.Content, want) {
						t.Errorf("content lacks %q:\n%s", want, libraries.Content)
					}
				}
				if !strings.Contains(care.Content, "Published by Care Mutual on their node") ||
					!strings.Contains(care.Content, `href="https://peer.example/cs/home-care-as-a-mutual"`) {
					t.Errorf("received item's content does not say who published it, with a link:\n%s", care.Content)
				}
				if libraries.PublishedParsed == nil || !libraries.PublishedParsed.Equal(time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)) {
					t.Errorf("published %v", libraries.PublishedParsed)
				}
			})
		}
		t.Run("JSON Feed is version 1.1", func(t *testing.T) {
			var doc struct {
				Version string `json:"version"`
				FeedURL string `json:"feed_url"`
				Items   []struct {
					ExternalURL string `json:"external_url"`
					Authors     []struct{ Name string }
				} `json:"items"`
			}
			r := testrig.Do(t, http.MethodGet, n.URL+"/feed.json?region=North+West", nil, nil)
			if err := json.Unmarshal(r.Body, &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Version != "https://jsonfeed.org/version/1.1" || doc.FeedURL != n.URL+"/feed.json?region=North+West" {
				t.Errorf("version %q, feed_url %q", doc.Version, doc.FeedURL)
			}
			if len(doc.Items) != 2 || len(doc.Items[0].Authors) != 1 {
				t.Errorf("items %+v, want the two in the North West with their authors", doc.Items)
			}
		})
	})
}

func TestFeedsFilteredByTagAndOrganisation(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		feedNode(t, n)
		for _, tc := range []struct{ path, want string }{
			{"/tags/mutuals", "Keeping the libraries open; Home care as a mutual"},
			{"/tags/youth", "Youth clubs kept open"},
			{"/tags/nothing", ""},
			{"/@org", "Youth clubs kept open; Keeping the libraries open"},
			{"/feed", "Youth clubs kept open; Keeping the libraries open; Home care as a mutual"},
		} {
			for _, f := range formats {
				for query, want := range map[string]string{"": tc.want, "?service_area=Libraries": only(tc.want, "Keeping the libraries open"), "?limit=1&offset=1": nth(tc.want, 1)} {
					feed, _ := parseFeed(t, n, tc.path+f.ext+query, f.contentType)
					if got := itemTitles(feed); got != want {
						t.Errorf("%s%s%s: items %q, want %q", tc.path, f.ext, query, got, want)
					}
				}
			}
		}
		feed, _ := parseFeed(t, n, "/tags/mutuals.atom", "application/atom+xml")
		if feed.Link != n.URL+"/tags/mutuals" || !strings.Contains(feed.Title, "#mutuals") {
			t.Errorf("tag feed's link %q, title %q", feed.Link, feed.Title)
		}
	})
}

// only is want if it lists title, else nothing.
func only(want, title string) string {
	if slices.Contains(strings.Split(want, "; "), title) {
		return title
	}
	return ""
}

// nth is the nth title of want, or nothing.
func nth(want string, i int) string {
	l := strings.Split(want, "; ")
	if i < len(l) {
		return l[i]
	}
	return ""
}

func itemTitles(f *gofeed.Feed) string {
	var l []string
	for _, it := range f.Items {
		l = append(l, it.Title)
	}
	return strings.Join(l, "; ")
}

func TestFeedsAnswerNotModified(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		feedNode(t, n)
		for _, path := range []string{"/feed.atom", "/feed.rss", "/feed.json?tag=mutuals", "/tags/youth.rss", "/@org.json"} {
			first := testrig.Do(t, http.MethodGet, n.URL+path, nil, nil)
			etag, modified := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
			if first.Status != http.StatusOK || etag == "" || modified == "" {
				t.Fatalf("GET %s = %d, ETag %q, Last-Modified %q", path, first.Status, etag, modified)
			}
			for name, header := range map[string]map[string]string{
				"If-None-Match":             {"If-None-Match": etag},
				"If-None-Match of a list":   {"If-None-Match": `"other", ` + etag},
				"If-Modified-Since":         {"If-Modified-Since": modified},
				"If-None-Match wins on IMS": {"If-None-Match": etag, "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"},
			} {
				r := testrig.Do(t, http.MethodGet, n.URL+path, nil, header)
				if r.Status != http.StatusNotModified || len(r.Body) != 0 || r.Header.Get("ETag") != etag {
					t.Errorf("GET %s with %s = %d (ETag %q), want 304", path, name, r.Status, r.Header.Get("ETag"))
				}
			}
			for name, header := range map[string]map[string]string{
				"another ETag":         {"If-None-Match": `"other"`},
				"an ETag, an old date": {"If-None-Match": `"other"`, "If-Modified-Since": modified},
				"an older date":        {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"},
			} {
				if r := testrig.Do(t, http.MethodGet, n.URL+path, nil, header); r.Status != http.StatusOK || !bytes.Equal(r.Body, first.Body) {
					t.Errorf("GET %s with %s = %d, want 200 and the feed", path, name, r.Status)
				}
			}
		}
		// A deletion changes the feed, its ETag and its Last-Modified.
		before := testrig.Do(t, http.MethodGet, n.URL+"/feed.atom", nil, nil)
		remote, err := n.Store.CaseStudies.ByIRI(context.Background(), "https://peer.example/articles/home-care-as-a-mutual")
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Store.CaseStudies.Delete(context.Background(), remote.ID); err != nil {
			t.Fatal(err)
		}
		after := testrig.Do(t, http.MethodGet, n.URL+"/feed.atom", nil, map[string]string{"If-None-Match": before.Header.Get("ETag")})
		if after.Status != http.StatusOK || after.Header.Get("ETag") == before.Header.Get("ETag") || strings.Contains(string(after.Body), "Home care") {
			t.Errorf("after a deletion: %d, ETag %q (was %q)", after.Status, after.Header.Get("ETag"), before.Header.Get("ETag"))
		}
		was, _ := http.ParseTime(before.Header.Get("Last-Modified"))
		if now, err := http.ParseTime(after.Header.Get("Last-Modified")); err != nil || now.Before(was) {
			t.Errorf("Last-Modified %q after a deletion, was %q", after.Header.Get("Last-Modified"), before.Header.Get("Last-Modified"))
		}
	})
}

func TestFeedsRefuseBadParameters(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		feedNode(t, n)
		before := testrig.Do(t, http.MethodGet, n.URL+"/feed.json", nil, nil)
		for _, tc := range []struct {
			path     string
			status   int
			mentions []string
		}{
			{"/feed.atom?colour=red", http.StatusBadRequest, []string{"unknown parameter", "colour", "service_area"}},
			{"/feed.rss?page=2&colour=red&sort=newest", http.StatusBadRequest, []string{"parameters", "colour", "page", "sort", "published_after"}},
			{"/feed.rss?sort=best", http.StatusBadRequest, []string{"sort must be"}},
			{"/feed.json?savings_min=x&savings_currency=GBP&savings_period=year", http.StatusBadRequest, []string{"savings_min"}},
			{"/tags/mutuals.json?tag=other", http.StatusBadRequest, []string{"tag", "path"}},
			{"/feed.json?limit=0", http.StatusBadRequest, []string{"limit"}},
			{"/feed.json?offset=-1", http.StatusBadRequest, []string{"offset"}},
			{"/feed.atom?q=" + strings.Repeat("x", 201), http.StatusBadRequest, []string{"q is longer"}},
			{"/tags/mutuals.atom?colour=red", http.StatusBadRequest, []string{"colour"}},
			{"/@org.rss?colour=red", http.StatusBadRequest, []string{"colour"}},
			{"/@someone.atom", http.StatusNotFound, []string{"someone"}},
			{"/feed.xml", http.StatusNotFound, nil},
		} {
			r := testrig.Do(t, http.MethodGet, n.URL+tc.path, nil, nil)
			testrig.WantError(t, r, tc.status, tc.mentions...)
		}
		if after := testrig.Do(t, http.MethodGet, n.URL+"/feed.json", nil, nil); !bytes.Equal(after.Body, before.Body) {
			t.Error("a refused request changed the feed")
		}
	})
}

// TestFeedsTakeTheFeedPageFilters: a feed finds what the feed page
// finds with the same parameters (q, several values of a facet, the
// savings filter), newest first; the pages link their feeds with their
// filters.
func TestFeedsTakeTheFeedPageFilters(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		feedNode(t, n)
		for _, tc := range []struct{ path, want string }{
			{"/feed.atom?service_area=libraries&service_area=youth+services", "Youth clubs kept open; Keeping the libraries open"},
			{"/feed.rss?q=" + url.QueryEscape(`"youth clubs" OR carers`), "Youth clubs kept open; Home care as a mutual"},
			{"/feed.json?organisation=Care+Mutual&year=2023", "Home care as a mutual"},
			{"/feed.json?savings_min=100000&savings_currency=GBP&savings_period=year&limit=1", "Youth clubs kept open"},
			{"/feed.atom?sort=relevance&q=libraries", "Keeping the libraries open; Youth clubs kept open"},
			{"/feed.atom?region=Atlantis", ""},
			{"/tags/mutuals.atom?q=carers", "Home care as a mutual"},
			{"/tags/mutuals.rss?service_area=libraries&service_area=adult+social+care", "Keeping the libraries open; Home care as a mutual"},
			{"/@org.json?tag=youth", "Youth clubs kept open"},
			{"/@org.atom?organisation=Care+Mutual", ""},
		} {
			t.Run(tc.path, func(t *testing.T) {
				f := formats[slices.IndexFunc(formats, func(f struct{ ext, contentType, feedType string }) bool {
					return strings.Contains(tc.path, f.ext+"?")
				})]
				feed, _ := parseFeed(t, n, tc.path, f.contentType)
				if got := itemTitles(feed); got != tc.want {
					t.Errorf("items %q, want %q", got, tc.want)
				}
			})
		}
		page := string(testrig.Do(t, http.MethodGet, n.URL+"/feed?q=libraries&region=North+West&region=London&sort=newest&offset=20", nil,
			map[string]string{"Accept": "text/html"}).Body)
		if want := `href="/feed.atom?q=libraries&amp;region=North&#43;West&amp;region=London"`; !strings.Contains(page, want) {
			t.Errorf("the feed page does not link its feed with its filters: %s", want)
		}
	})
}
