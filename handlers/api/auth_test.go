package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

func TestTokenAuth(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		ctx := context.Background()
		revoked, err := n.Tokens.CreateToken(ctx, "old")
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Store.Tokens.Revoke(ctx, "old"); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, auth string
		}{
			{"missing", ""},
			{"wrong", "Bearer pollen_not-a-token"},
			{"revoked", "Bearer " + revoked},
			{"not bearer", "Basic " + n.Token},
			{"bare token", n.Token},
		}
		for _, tt := range tests {
			for _, req := range []struct{ method, path string }{
				{http.MethodPost, "/api/v1/case-studies"},
				{http.MethodPut, "/api/v1/case-studies/x"},
				{http.MethodDelete, "/api/v1/case-studies/x"},
			} {
				t.Run(tt.name+" "+req.method, func(t *testing.T) {
					h := map[string]string{}
					if tt.auth != "" {
						h["Authorization"] = tt.auth
					}
					r := testrig.Do(t, req.method, n.URL+req.path, testrig.CaseStudyBody(), h)
					testrig.WantError(t, r, http.StatusUnauthorized)
					if r.Header.Get("WWW-Authenticate") == "" {
						t.Error("401 without WWW-Authenticate")
					}
				})
			}
		}
		if got := n.StoredCaseStudies(t); got != 0 {
			t.Errorf("unauthorised requests stored %d case studies", got)
		}
		// The right token works, in any case of "Bearer".
		r := testrig.Do(t, http.MethodPost, n.URL+"/api/v1/case-studies", testrig.CaseStudyBody(),
			map[string]string{"Authorization": "bearer " + n.Token})
		if r.Status != http.StatusCreated {
			t.Errorf("with the token: %d %s", r.Status, r.Body)
		}
	})
}
