package pages_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/testrig"
)

// fullRemote is a received case study with every field its page shows
// and an image attached on the peer.
var fullRemote = testrig.RemoteCaseStudy{
	Host: "peer.example", Handle: "care", Name: "Care Mutual", Title: "Home care as a mutual",
	Summary: "Carers own the service and kept every round.", ServiceArea: "adult social care", Tags: []string{"mutuals"},
	Published: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC), Region: "North West", Stage: "operating",
	Content:  "<h2>How</h2><p>We <strong>voted</strong> on it.</p>",
	Outcomes: []string{"No rounds dropped"}, Lessons: []string{"Ask the carers first"},
	Image: "https://peer.example/media/team.jpg",
}

// receivedPath saves r in n and returns the path of its page on n.
func receivedPath(t *testing.T, n *testrig.Node, r testrig.RemoteCaseStudy) string {
	t.Helper()
	n.SaveRemoteCaseStudy(t, r)
	c, err := n.Store.CaseStudies.ByIRI(context.Background(), "https://"+r.Host+"/articles/"+strings.ReplaceAll(strings.ToLower(r.Title), " ", "-"))
	if err != nil {
		t.Fatal(err)
	}
	return "/feed/items/" + strconv.FormatInt(c.StatusID, 10)
}

func TestReceivedCaseStudyPage(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		path := receivedPath(t, n, fullRemote)
		html := map[string]string{"Accept": "text/html"}
		r := testrig.Do(t, http.MethodGet, n.URL+path, nil, html)
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("GET %s = %d %s", path, r.Status, r.Header.Get("Content-Type"))
		}
		body := string(r.Body)
		for _, want := range []string{
			"<h1 class=\"govuk-heading-xl\">Home care as a mutual</h1>", "Published by <strong>Care Mutual</strong> on their node",
			`href="https://peer.example/cs/home-care-as-a-mutual"`, "<strong>voted</strong>", "Ask the carers first",
			`<a class="govuk-link" href="https://peer.example/media/team.jpg"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %s", want)
			}
		}
		if strings.Contains(body, "<img src=\"https://peer.example") {
			t.Error("the page embeds the peer's image")
		}

		// The node's own case studies have their pages under /case-studies.
		local, err := n.Store.CaseStudies.BySlug(context.Background(), n.Publish(t, testrig.CaseStudyBody())["slug"].(string))
		if err != nil {
			t.Fatal(err)
		}
		ownID := "/feed/items/" + strconv.FormatInt(local.StatusID, 10)
		for _, bad := range []string{ownID, "/feed/items/0", "/feed/items/-1", "/feed/items/abc", "/feed/items/12345", "/feed/items/99999999999999999999"} {
			testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+bad, nil, nil), http.StatusNotFound)
		}

		c, err := n.Store.CaseStudies.ByIRI(context.Background(), "https://peer.example/articles/home-care-as-a-mutual")
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Store.CaseStudies.Delete(context.Background(), c.ID); err != nil {
			t.Fatal(err)
		}
		testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+path, nil, nil), http.StatusGone, "deleted")
		if r := testrig.Do(t, http.MethodGet, n.URL+path, nil, html); r.Status != http.StatusGone || !strings.Contains(string(r.Body), "Page removed") {
			t.Errorf("a deleted one's page = %d, want the 410 page", r.Status)
		}
	})
}

// TestOwnCaseStudyImages: on a case study of this node an image it
// serves is shown, and one from another site (an attachment given to the
// API by its address) is a link, since the pages load images from this
// node only.
func TestOwnCaseStudyImages(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	body := testrig.CaseStudyBody()
	body["attachments"] = []map[string]string{
		{"url": "https://images.example/branch.jpg", "media_type": "image/jpeg", "name": "The branch"},
		{"url": n.URL + "/media/0123456789abcdef.png", "media_type": "image/png", "name": "The team"},
	}
	slug := n.Publish(t, body)["slug"].(string)
	r := testrig.Do(t, http.MethodGet, n.URL+"/case-studies/"+slug, nil, map[string]string{"Accept": "text/html"})
	page := string(r.Body)
	if r.Status != http.StatusOK {
		t.Fatalf("GET the page = %d", r.Status)
	}
	if !strings.Contains(page, `<a class="govuk-link" href="https://images.example/branch.jpg"`) || strings.Contains(page, `src="https://images.example`) {
		t.Error("the other site's image is not a link")
	}
	if !strings.Contains(page, `<img src="`+n.URL+`/media/0123456789abcdef.png" alt="The team"`) {
		t.Error("the node's own image is not shown")
	}
}
