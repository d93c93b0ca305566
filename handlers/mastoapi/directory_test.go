package mastoapi_test

import (
	"net/http"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// TestDirectory: /api/v1/directory answers an array of Accounts with
// Pollen's fields (the node itself at least, once the directory has
// run), takes Mastodon's parameters, and refuses bad values with a 400
// naming the parameter.
func TestDirectory(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	var list []map[string]any
	testrig.Eventually(t, "the directory lists the node itself", func() bool {
		r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/directory?local=true", nil, nil)
		r.Decode(t, &list)
		return r.Status == http.StatusOK && len(list) == 1
	})
	self := list[0]
	pollen, _ := self["pollen"].(map[string]any)
	if self["acct"] != n.Config.Handle || self["uri"] != n.URL+"/actors/"+n.Config.Handle || pollen == nil {
		t.Fatalf("self = %v", self)
	}
	for _, key := range []string{"organisation_type", "region", "software", "case_studies", "last_activity", "following", "dead", "checked_at", "known_through"} {
		if _, ok := pollen[key]; !ok {
			t.Errorf("pollen has no %q: %v", key, pollen)
		}
	}
	for _, tc := range []struct {
		query   string
		status  int
		mention string
	}{
		{"", http.StatusOK, ""},
		{"?order=new&limit=500&offset=0&local=false", http.StatusOK, ""},
		{"?offset=10", http.StatusOK, ""},
		{"?order=popular", http.StatusBadRequest, "order"},
		{"?limit=0", http.StatusBadRequest, "limit"},
		{"?limit=ten", http.StatusBadRequest, "limit"},
		{"?offset=-1", http.StatusBadRequest, "offset"},
		{"?local=maybe", http.StatusBadRequest, "local"},
	} {
		r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/directory"+tc.query, nil, nil)
		if tc.status != http.StatusOK {
			testrig.WantError(t, r, tc.status, tc.mention)
			continue
		}
		var got []map[string]any
		if r.Status != http.StatusOK {
			t.Errorf("%s: %d %s", tc.query, r.Status, r.Body)
			continue
		}
		r.Decode(t, &got)
		if tc.query == "?offset=10" && len(got) != 0 {
			t.Errorf("%s: %d accounts, want none past the end", tc.query, len(got))
		}
	}
}
