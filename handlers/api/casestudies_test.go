package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

func TestCaseStudyAPI(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		created := n.Publish(t, testrig.CaseStudyBody())
		iri := n.URL + "/case-studies/keeping-the-libraries-open"
		if created["id"] != iri || created["slug"] != "keeping-the-libraries-open" || created["url"] != iri {
			t.Errorf("created id %v, slug %v, url %v; want id = url = %s", created["id"], created["slug"], created["url"], iri)
		}
		if !strings.Contains(fmt.Sprint(created["content"]), "<strong>did</strong>") {
			t.Errorf("content %v is not the rendered Markdown", created["content"])
		}
		if s := created["savings"].(map[string]any); fmt.Sprint(s["amount"]) != "125000" || s["currency"] != "GBP" {
			t.Errorf("savings %v", s)
		}
		if created["published"] != "2024-03-01T09:00:00Z" {
			t.Errorf("published %v, want the given date", created["published"])
		}

		// The same title again gets the next free slug.
		second := n.Publish(t, testrig.CaseStudyBody())
		if second["slug"] != "keeping-the-libraries-open-2" {
			t.Errorf("second slug %v", second["slug"])
		}
		// A chosen slug that is taken is a conflict.
		body := testrig.CaseStudyBody()
		body["slug"] = "keeping-the-libraries-open"
		testrig.WantError(t, n.API(t, http.MethodPost, "/case-studies", body), http.StatusConflict, "taken")

		// Read (public, no token).
		r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/case-studies/keeping-the-libraries-open", nil, nil)
		if r.Status != http.StatusOK || r.Map(t)["title"] != "Keeping the libraries open" {
			t.Errorf("GET = %d %s", r.Status, r.Body)
		}
		testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+"/api/v1/case-studies/nope", nil, nil), http.StatusNotFound)

		// Edit.
		body = testrig.CaseStudyBody()
		body["title"] = "Keeping the libraries open, two years on"
		body["tags"] = []string{"Renewal"}
		r = n.API(t, http.MethodPut, "/case-studies/keeping-the-libraries-open", body)
		if r.Status != http.StatusOK {
			t.Fatalf("PUT = %d %s", r.Status, r.Body)
		}
		edited := r.Map(t)
		if edited["title"] != body["title"] || edited["id"] != iri || fmt.Sprint(edited["tags"]) != "[Renewal]" {
			t.Errorf("after PUT: %v", edited)
		}
		// The same again changes nothing: not dated, not sent, not audited.
		_, audited, err := n.Store.Audit.List(context.Background(), 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		r = n.API(t, http.MethodPut, "/case-studies/keeping-the-libraries-open", body)
		if m := r.Map(t); r.Status != http.StatusOK || m["updated"] != edited["updated"] || m["title"] != body["title"] {
			t.Errorf("the same PUT again = %d, updated %v (was %v)", r.Status, m["updated"], edited["updated"])
		}
		if _, again, err := n.Store.Audit.List(context.Background(), 1, 0); err != nil || again != audited {
			t.Errorf("the same PUT again: %d audit entries, was %d (%v)", again, audited, err)
		}
		testrig.WantError(t, n.API(t, http.MethodPut, "/case-studies/nope", testrig.CaseStudyBody()), http.StatusNotFound)

		// List: public, paged, newest first.
		n.Publish(t, map[string]any{"title": "Newest", "summary": "S", "body": "B"})
		r = testrig.Do(t, http.MethodGet, n.URL+"/api/v1/case-studies?limit=2", nil, nil)
		var page struct {
			Items []struct {
				Slug string `json:"slug"`
			} `json:"items"`
			Total, Limit, Offset int
		}
		r.Decode(t, &page)
		if r.Status != http.StatusOK || page.Total != 3 || page.Limit != 2 || len(page.Items) != 2 || page.Items[0].Slug != "newest" {
			t.Errorf("list page 1 = %d %s", r.Status, r.Body)
		}
		for _, it := range r.Map(t)["items"].([]any) {
			want := "org@" + strings.TrimPrefix(n.URL, "http://")
			if h := it.(map[string]any)["author"].(map[string]any)["handle"]; h != want {
				t.Errorf("author handle %v in the list, want %s", h, want)
			}
		}
		r = testrig.Do(t, http.MethodGet, n.URL+"/api/v1/case-studies?limit=2&offset=2", nil, nil)
		r.Decode(t, &page)
		if page.Total != 3 || len(page.Items) != 1 || page.Offset != 2 {
			t.Errorf("list page 2 = %d %s", r.Status, r.Body)
		}
		r = testrig.Do(t, http.MethodGet, n.URL+"/api/v1/case-studies?region=north+west&tag=mutuals", nil, nil)
		r.Decode(t, &page)
		if page.Total != 1 || page.Items[0].Slug != "keeping-the-libraries-open-2" {
			t.Errorf("filtered list = %s", r.Body)
		}
		for _, q := range []string{"limit=0", "limit=101", "limit=x", "offset=-1"} {
			testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+"/api/v1/case-studies?"+q, nil, nil), http.StatusBadRequest)
		}

		// Delete: 204, then 410 everywhere, and the slug is not reused.
		r = n.API(t, http.MethodDelete, "/case-studies/keeping-the-libraries-open", nil)
		if r.Status != http.StatusNoContent {
			t.Fatalf("DELETE = %d %s", r.Status, r.Body)
		}
		testrig.WantError(t, n.API(t, http.MethodDelete, "/case-studies/keeping-the-libraries-open", nil), http.StatusGone)
		testrig.WantError(t, n.API(t, http.MethodGet, "/case-studies/keeping-the-libraries-open", nil), http.StatusGone)
		testrig.WantError(t, n.API(t, http.MethodPut, "/case-studies/keeping-the-libraries-open", testrig.CaseStudyBody()), http.StatusGone)
		testrig.WantError(t, n.API(t, http.MethodDelete, "/case-studies/nope", nil), http.StatusNotFound)
		r = testrig.GetAP(t, iri)
		if r.Status != http.StatusGone {
			t.Fatalf("AP GET of a deleted case study = %d %s", r.Status, r.Body)
		}
		if m := r.Map(t); m["type"] != "Tombstone" || m["id"] != iri || m["formerType"] != "Article" || m["deleted"] == nil {
			t.Errorf("Tombstone = %v", m)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/activity+json") {
			t.Errorf("Tombstone Content-Type %q", ct)
		}
		third := n.Publish(t, testrig.CaseStudyBody())
		if third["slug"] == "keeping-the-libraries-open" {
			t.Error("the slug of a deleted case study was reused")
		}
		body = testrig.CaseStudyBody()
		body["slug"] = "keeping-the-libraries-open"
		testrig.WantError(t, n.API(t, http.MethodPost, "/case-studies", body), http.StatusConflict)
	})
}

func TestCaseStudyAPISavingsAmountAsText(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		body := testrig.CaseStudyBody()
		body["savings"] = map[string]any{"amount": " 125000.50 ", "currency": "GBP", "period": "year"}
		created := n.Publish(t, body)
		if s := created["savings"].(map[string]any); fmt.Sprint(s["amount"]) != "125000.5" {
			t.Errorf("savings from a numeric string: %v", s)
		}
		r := testrig.GetAP(t, created["id"].(string))
		if s, _ := r.Map(t)["savings"].(map[string]any); s["amount"] != "125000.50" {
			t.Errorf("Article savings %v, want the amount as written", s)
		}
	})
}

func TestCaseStudyAPIBadInput(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		existing := n.Publish(t, testrig.CaseStudyBody())
		slug := existing["slug"].(string)
		auth := map[string]string{"Authorization": "Bearer " + n.Token}
		withType := func(ct string) map[string]string {
			return map[string]string{"Authorization": "Bearer " + n.Token, "Content-Type": ct}
		}
		big := testrig.CaseStudyBody()
		big["body"] = strings.Repeat("a", 1<<20+1)
		invalid := testrig.CaseStudyBody()
		invalid["title"] = ""
		invalid["region"] = "Atlantis"
		invalid["savings"] = map[string]any{"amount": -5, "currency": "GBP", "period": "year"}
		invalid["contact"] = map[string]any{"name": "Ann", "email": "nope"}
		unknown := testrig.CaseStudyBody()
		unknown["colour"] = "blue"
		textAmount := testrig.CaseStudyBody()
		textAmount["savings"] = map[string]any{"amount": "lots", "currency": "GBP", "period": "year"}
		boolAmount := testrig.CaseStudyBody()
		boolAmount["savings"] = map[string]any{"amount": true, "currency": "GBP", "period": "year"}
		unknownSavings := testrig.CaseStudyBody()
		unknownSavings["savings"] = map[string]any{"amount": 5, "currency": "GBP", "period": "year", "colour": "blue"}

		tests := []struct {
			name     string
			body     any
			header   map[string]string
			status   int
			mentions []string
		}{
			{"malformed JSON", `{"title": "x",`, auth, http.StatusBadRequest, nil},
			{"not an object", `["title"]`, auth, http.StatusBadRequest, nil},
			{"two objects", `{"title":"a"} {"title":"b"}`, auth, http.StatusBadRequest, nil},
			{"empty body", "", auth, http.StatusBadRequest, nil},
			{"wrong JSON type", map[string]any{"title": 5}, auth, http.StatusBadRequest, []string{"title"}},
			{"unknown field", unknown, auth, http.StatusBadRequest, []string{"colour"}},
			{"over 1 MiB", big, auth, http.StatusRequestEntityTooLarge, []string{"1 MiB"}},
			{"invalid fields", invalid, auth, http.StatusUnprocessableEntity,
				[]string{`"title"`, `"region"`, `"savings.amount"`, `"contact.email"`}},
			{"savings amount not a number", textAmount, auth, http.StatusUnprocessableEntity, []string{`"savings.amount"`, "decimal number"}},
			{"savings amount a boolean", boolAmount, auth, http.StatusUnprocessableEntity, []string{`"savings.amount"`}},
			{"unknown savings field", unknownSavings, auth, http.StatusBadRequest, []string{"colour"}},
			{"form content type", "title=x", withType("application/x-www-form-urlencoded"), http.StatusUnsupportedMediaType, nil},
			{"text content type", `{"title":"x"}`, withType("text/plain"), http.StatusUnsupportedMediaType, nil},
		}
		for _, tt := range tests {
			for _, req := range []struct{ method, path string }{
				{http.MethodPost, "/api/v1/case-studies"},
				{http.MethodPut, "/api/v1/case-studies/" + slug},
			} {
				t.Run(tt.name+" "+req.method, func(t *testing.T) {
					r := testrig.Do(t, req.method, n.URL+req.path, tt.body, tt.header)
					testrig.WantError(t, r, tt.status, tt.mentions...)
					// Nothing stored, nothing changed.
					if got := n.StoredCaseStudies(t); got != 1 {
						t.Errorf("%d case studies stored, want only the first", got)
					}
					now := n.API(t, http.MethodGet, "/case-studies/"+slug, nil).Map(t)
					if now["title"] != existing["title"] || now["updated"] != existing["updated"] {
						t.Errorf("the case study changed: %v", now)
					}
				})
			}
		}
	})
}
