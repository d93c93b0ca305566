package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/handlers"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestSecurityHeaders: every answer, page, document, asset or error,
// carries the security headers; dynamic answers are not cached without
// revalidation, and an authorised one is not stored at all.
func TestSecurityHeaders(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	slug := n.Publish(t, testrig.CaseStudyBody())["slug"].(string)
	tests := []struct {
		name, path, accept, cache string
		auth                      bool
	}{
		{"home page", "/", "text/html", "no-cache", false},
		{"case study page", "/case-studies/" + slug, "text/html", "no-cache", false},
		{"Article", "/case-studies/" + slug, "application/activity+json", "no-cache", false},
		{"JSON API", "/api/v1/case-studies", "application/json", "no-cache", false},
		{"admin API", "/api/v1/follows", "application/json", "no-store", true},
		{"not found", "/no/such/page", "text/html", "no-cache", false},
		{"static asset", "/static/pollen.css", "text/css", "public, max-age=86400", false},
		{"GOV.UK Frontend's CSS", "/static/govuk/govuk-frontend.css", "text/css", "public, max-age=86400", false},
		{"GOV.UK Frontend's JavaScript", "/static/govuk/govuk-frontend.min.js", "text/javascript", "public, max-age=86400", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{"Accept": tt.accept}
			if tt.auth {
				h["Authorization"] = "Bearer " + n.Token
			}
			r := testrig.Do(t, http.MethodGet, n.URL+tt.path, nil, h)
			want := map[string]string{
				"Content-Security-Policy":    "default-src 'self'; script-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
				"X-Content-Type-Options":     "nosniff",
				"Referrer-Policy":            "strict-origin-when-cross-origin",
				"Cross-Origin-Opener-Policy": "same-origin",
				"Cache-Control":              tt.cache,
				"Strict-Transport-Security":  "", // the test node is plain http
			}
			for k, v := range want {
				if got := r.Header.Get(k); got != v {
					t.Errorf("%s: %s = %q, want %q", tt.path, k, got, v)
				}
			}
			if r.Header.Get("Permissions-Policy") == "" {
				t.Errorf("%s: no Permissions-Policy", tt.path)
			}
		})
	}
}

// TestHSTSOverHTTPS: a node whose base URL is https tells browsers to
// keep to https.
func TestHSTSOverHTTPS(t *testing.T) {
	cfg := config.Default()
	cfg.BaseURL, _ = url.Parse("https://pollen.example")
	store, log := testrig.Store(t, testrig.SQLite(t)), testrig.Logger(t)
	svc := federation.New(cfg, store, log)
	e, err := handlers.New(cfg, handlers.Services{
		Actors: service.NewActors(store), Documents: svc.Documents(), Signatures: svc, Inbox: svc.Inbox(),
		CaseStudies: service.NewCaseStudies(cfg, store, svc, log, nil), Follows: svc.Follows(), Queue: svc,
		Tokens: access.NewTokens(store), Profile: svc, Health: service.NewHealth(store),
	}, log)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if got := rec.Header().Get("Strict-Transport-Security"); got != "max-age=31536000" {
		t.Errorf("Strict-Transport-Security = %q", got)
	}
}
