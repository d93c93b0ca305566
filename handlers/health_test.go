package handlers_test

import (
	"net/http"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

func TestHealth(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		for _, path := range []string{"/healthz", "/readyz"} {
			r := testrig.Do(t, http.MethodGet, n.URL+path, nil, nil)
			if r.Status != http.StatusOK {
				t.Errorf("%s = %d %s", path, r.Status, r.Body)
			}
		}
		// With the database gone, the node is not ready, but still healthy.
		if err := n.Store.Close(); err != nil {
			t.Fatal(err)
		}
		if r := testrig.Do(t, http.MethodGet, n.URL+"/readyz", nil, nil); r.Status != http.StatusServiceUnavailable {
			t.Errorf("/readyz with the database closed = %d %s", r.Status, r.Body)
		}
		if r := testrig.Do(t, http.MethodGet, n.URL+"/healthz", nil, nil); r.Status != http.StatusOK {
			t.Errorf("/healthz with the database closed = %d", r.Status)
		}
	})
}
