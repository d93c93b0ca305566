package node_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// TestAttachmentsFederate: a case study with an uploaded image and PDF
// reaches a follower with both attachments (url, media type, name); its
// Article carries them as an Image and a Document, the image as its
// card (image); the follower's page links to them on their node and
// embeds nothing of it.
func TestAttachmentsFederate(t *testing.T) {
	nodes := startNodes(t, testrig.SQLite(t), 2)
	a, b := nodes[0], nodes[1]
	follow(t, b, a)
	ctx := context.Background()
	img := image.NewRGBA(image.Rect(0, 0, 8, 6))
	img.Set(2, 2, color.RGBA{10, 200, 10, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	pic, err := a.Media.Save(ctx, &buf, "branch.png", "The Central branch at opening")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := a.Media.Save(ctx, strings.NewReader("%PDF-1.4\n%%EOF\n"), "accounts 2025.pdf", "")
	if err != nil {
		t.Fatal(err)
	}
	body := caseStudy("Libraries with pictures")
	body["attachments"] = []map[string]string{
		{"url": doc.URL, "media_type": doc.MediaType, "name": "Accounts for 2025"},
		{"url": pic.URL, "media_type": pic.MediaType, "name": pic.Alt},
	}
	r := a.API(t, http.MethodPost, "/case-studies", body)
	if r.Status != http.StatusCreated {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}
	id := r.Map(t)["id"].(string)

	article := testrig.Do(t, http.MethodGet, id, nil, map[string]string{"Accept": "application/activity+json"})
	var doc2 struct {
		Attachment []map[string]string `json:"attachment"`
		Image      map[string]string   `json:"image"`
	}
	if err := json.Unmarshal(article.Body, &doc2); err != nil {
		t.Fatal(err)
	}
	wantImage := map[string]string{"type": "Image", "url": pic.URL, "mediaType": "image/png", "name": "The Central branch at opening"}
	if len(doc2.Attachment) != 2 || doc2.Attachment[0]["type"] != "Document" || doc2.Attachment[0]["mediaType"] != "application/pdf" ||
		!equalMaps(doc2.Attachment[1], wantImage) || !equalMaps(doc2.Image, wantImage) {
		t.Errorf("the Article's attachment %v and image %v", doc2.Attachment, doc2.Image)
	}

	testrig.Eventually(t, "the case study reaches b", func() bool { return inFeed(t, b, id) })
	got, _ := json.Marshal(feed(t, b)[id]["attachments"])
	want := `[{"media_type":"application/pdf","name":"Accounts for 2025","url":"` + doc.URL + `"},` +
		`{"media_type":"image/png","name":"The Central branch at opening","url":"` + pic.URL + `"}]`
	if string(got) != want {
		t.Errorf("attachments on b:\n%s\nwant\n%s", got, want)
	}

	c, err := b.Store.CaseStudies.ByIRI(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	page := testrig.Do(t, http.MethodGet, b.URL+"/feed/items/"+strconv.FormatInt(c.StatusID, 10), nil, map[string]string{"Accept": "text/html"})
	for _, want := range []string{`href="` + pic.URL + `"`, `>The Central branch at opening</a>`, `href="` + doc.URL + `"`} {
		if !strings.Contains(string(page.Body), want) {
			t.Errorf("b's page of the case study lacks %s", want)
		}
	}
	if strings.Contains(string(page.Body), `src="`+a.URL) || strings.Contains(string(page.Body), `content="`+pic.URL) {
		t.Errorf("b's page embeds a file of a:\n%s", page.Body)
	}
	own := testrig.Do(t, http.MethodGet, id, nil, map[string]string{"Accept": "text/html"})
	if !strings.Contains(string(own.Body), `<meta property="og:image" content="`+pic.URL+`">`) {
		t.Errorf("a's page has no card image:\n%s", own.Body)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
