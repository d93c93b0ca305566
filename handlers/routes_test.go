package handlers_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/handlers"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// mapLine is a line of the map in routes.go: method, path, files.
var mapLine = regexp.MustCompile(`^\s*//\s+(GET|POST|PUT|DELETE)\s+(/\S*)\s+(\S.*)$`)

// TestRouteMap: routes.go names every route the server has, with the file
// that answers it, and no route it does not have; each file named exists.
func TestRouteMap(t *testing.T) {
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	mapped := map[string]bool{}
	for _, line := range strings.Split(string(src), "\n") {
		m := mapLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		mapped[m[1]+" "+m[2]] = true
		for _, f := range strings.Split(m[3], ",") {
			if _, err := os.Stat(strings.TrimSpace(f)); err != nil {
				t.Errorf("routes.go: %s %s names %v", m[1], m[2], err)
			}
		}
	}
	cfg := config.Default()
	store, log := testrig.Store(t, testrig.SQLite(t)), testrig.Logger(t)
	svc := federation.New(cfg, store, log)
	cases := service.NewCaseStudies(cfg, store, svc, log, nil)
	e, err := handlers.New(cfg, handlers.Services{
		Actors: service.NewActors(store), Documents: svc.Documents(), Signatures: svc, Inbox: svc.Inbox(),
		CaseStudies: cases, Statuses: service.NewStatuses(cfg, store, svc, log, nil), Follows: svc.Follows(), Queue: svc,
		Tokens: access.NewTokens(store), Profile: svc, Health: service.NewHealth(store), Accounts: access.NewAccounts(store, nil),
		OAuth: access.NewOAuth(store, nil), Admin: service.NewAdmin(store),
	}, log)
	if err != nil {
		t.Fatal(err)
	}
	var served []string
	for _, r := range e.Routes() {
		if r.Method == echo.RouteNotFound {
			continue // a group's own, for its middleware on unknown paths
		}
		served = append(served, r.Method+" "+r.Path)
		if !mapped[r.Method+" "+r.Path] {
			t.Errorf("%s %s is not in the map in routes.go", r.Method, r.Path)
		}
	}
	for route := range mapped {
		if !slices.Contains(served, route) {
			t.Errorf("routes.go maps %s, which is not served", route)
		}
	}
}
