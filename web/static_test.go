package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestStaticGOVUKFrontend: the GOV.UK Frontend files built by
// web/build/govuk.sh are embedded and served with their types; the CSS
// loads no font (system fonts only) and the licence travels with them.
func TestStaticGOVUKFrontend(t *testing.T) {
	tests := []struct {
		path, typ string
		has       []string
		hasNot    []string
	}{
		{"/govuk/govuk-frontend.css", "text/css", []string{".govuk-button", ".govuk-generic-header", "system-ui"}, []string{"@font-face", "GDS Transport", "sourceMappingURL"}},
		{"/govuk/govuk-frontend.min.js", "text/javascript", []string{"initAll", "export{"}, []string{"sourceMappingURL"}},
		{"/govuk/LICENCE.txt", "text/plain", []string{"MIT License", "Crown Copyright", "govuk-frontend@"}, nil},
		{"/js-enabled.js", "text/javascript", []string{"js-enabled", "govuk-frontend-supported"}, nil},
		{"/init.js", "text/javascript", []string{`from "/static/govuk/govuk-frontend.min.js"`, "initAll()"}, nil},
	}
	h := StaticHandler()
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, tt.path, nil))
			if w.Code != http.StatusOK {
				t.Fatalf("GET %s: %d", tt.path, w.Code)
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.typ) {
				t.Errorf("GET %s: Content-Type %q, want %s", tt.path, ct, tt.typ)
			}
			body := w.Body.String()
			for _, s := range tt.has {
				if !strings.Contains(body, s) {
					t.Errorf("GET %s: no %q", tt.path, s)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(body, s) {
					t.Errorf("GET %s: has %q", tt.path, s)
				}
			}
		})
	}
}
