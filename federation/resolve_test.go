package federation_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/testrig"
)

// TestResolve: a node resolves what a search names on a real peer: its
// handle and actor URL to the actor, its case study's IRI to the case
// study, stored; and refuses, with the kind of error the search turns
// into no result, what cannot be resolved, storing nothing.
func TestResolve(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		a := testrig.StartNode(t, testrig.Options{DB: db})
		b := testrig.StartNode(t, testrig.Options{DB: testrig.Fresh(t, db.Name)})
		iri := b.Publish(t, testrig.CaseStudyBody())["id"].(string)
		host := strings.TrimPrefix(b.URL, "http://")
		actor := b.URL + "/actors/org"

		for _, q := range []string{"@org@" + host, "org@" + host, " " + actor + " "} {
			got, err := a.Service.Resolve(ctx, q)
			if err != nil || got.Kind != federation.ResolvedActor || got.Actor.IRI != actor || got.Actor.ID == 0 || got.IRI != "" {
				t.Errorf("Resolve(%q) = %+v, %v", q, got, err)
			}
		}
		got, err := a.Service.Resolve(ctx, iri)
		if err != nil || got.Kind != federation.ResolvedCaseStudy || got.IRI != iri || got.Actor.IRI != actor {
			t.Fatalf("Resolve(%s) = %+v, %v", iri, got, err)
		}
		if c, err := a.Store.CaseStudies.ByIRI(ctx, iri); err != nil || c.ActorID != got.Actor.ID || c.Local {
			t.Errorf("stored case study = %+v, %v", c, err)
		}

		rm := testrig.StartRemote(t)
		forged := rm.URL + "/articles/forged"
		rm.Serve(forged, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": iri + "-2",
			"type": "Article", "name": "Forged", "attributedTo": actor})
		stray := rm.URL + "/articles/stray"
		rm.Serve(stray, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": stray,
			"type": "Article", "name": "Stray", "attributedTo": actor})
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		closed := l.Addr().String()
		_ = l.Close()
		for _, tc := range []struct {
			query string
			kind  apperr.Kind
		}{
			{"nobody@" + host, apperr.NotFound},
			{"not a handle", apperr.Invalid},
			{"ftp://" + host + "/x", apperr.Invalid},
			{"http://" + closed + "/case-studies/x", apperr.BadGateway},
			{"nobody@" + closed, apperr.BadGateway},
			{b.URL + "/case-studies/missing", apperr.BadGateway},
			{forged, apperr.BadGateway},
			{stray, apperr.BadGateway},
		} {
			_, err := a.Service.Resolve(ctx, tc.query)
			var e *apperr.Error
			if !errors.As(err, &e) || e.Kind != tc.kind {
				t.Errorf("Resolve(%q) = %v, want a %v error", tc.query, err, tc.kind)
			}
		}
		if n := a.StoredCaseStudies(t); n != 1 {
			t.Errorf("%d case studies stored, want 1", n)
		}
	})
}
