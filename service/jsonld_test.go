package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/piprate/json-gold/ld"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/testrig"
)

// contextLoader serves the JSON-LD context documents kept in
// ../shared/jsonld (see its README) and refuses every other URL, so that a
// document needing a remote context fails the test.
type contextLoader struct {
	dir   string
	files map[string]string // URL → file name
}

func newContextLoader(t *testing.T) *contextLoader {
	t.Helper()
	dir := testrig.Shared(t, "jsonld")
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatalf("the JSON-LD context documents: %v", err)
	}
	l := &contextLoader{dir: dir}
	if err := json.Unmarshal(data, &l.files); err != nil {
		t.Fatalf("read %s/index.json: %v", dir, err)
	}
	return l
}

func (l *contextLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	name, ok := l.files[u]
	if !ok {
		name, ok = l.files[strings.TrimSuffix(u, "/")]
	}
	if !ok {
		return nil, fmt.Errorf("no local copy of the context %s: Pollen must not depend on it", u)
	}
	f, err := os.Open(filepath.Join(l.dir, name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := ld.DocumentFromReader(f)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
}

// expand serialises doc as the node serves it and expands it.
func expand(t *testing.T, l *contextLoader, doc any) (compact map[string]any, expanded map[string]any) {
	t.Helper()
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &compact); err != nil {
		t.Fatal(err)
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = l
	out, err := ld.NewJsonLdProcessor().Expand(compact, opts)
	if err != nil {
		t.Fatalf("expand: %v", err)
	}
	if len(out) != 1 {
		t.Fatalf("expansion gave %d nodes, want 1: %v", len(out), out)
	}
	return compact, out[0].(map[string]any)
}

// iriAliases are the compact terms whose IRI does not end with their name.
var iriAliases = map[string]string{"orderedItems": "items", "pollenRole": "nodeRole"}

// checkNode checks that every key of the compact node c survived expansion
// in e as a full IRI (a term the contexts do not define becomes a "_:"
// blank-node IRI through the ActivityStreams "@vocab": "_:", which counts as
// dropped), and every type too. It recurses into embedded objects.
func checkNode(t *testing.T, path string, c, e map[string]any) {
	t.Helper()
	for k := range e {
		if !strings.HasPrefix(k, "@") && !strings.HasPrefix(k, "http://") && !strings.HasPrefix(k, "https://") {
			t.Errorf("%s: expanded key %q is not a full IRI (an undefined term)", path, k)
		}
	}
	if typ, ok := c["type"]; ok {
		types, _ := e["@type"].([]any)
		if len(types) == 0 {
			t.Errorf("%s: type %v dropped", path, typ)
		}
		for _, x := range types {
			if s, _ := x.(string); !strings.HasPrefix(s, "http") {
				t.Errorf("%s: type %v expands to %q, not a full IRI", path, typ, s)
			}
		}
	}
	for k, v := range c {
		switch k {
		case "@context", "id", "type":
			continue
		}
		name := k
		if a, ok := iriAliases[k]; ok {
			name = a
		}
		var iri string
		for ek := range e {
			if strings.HasPrefix(ek, "http") && (strings.HasSuffix(ek, "#"+name) || strings.HasSuffix(ek, "/"+name)) {
				iri = ek
			}
		}
		if iri == "" {
			t.Errorf("%s.%s: dropped by expansion (not defined in the @context)", path, k)
			continue
		}
		values, _ := e[iri].([]any)
		if len(values) == 1 {
			if m, ok := values[0].(map[string]any); ok {
				if list, ok := m["@list"].([]any); ok {
					values = list
				}
			}
		}
		switch cv := v.(type) {
		case map[string]any:
			if len(values) != 1 {
				t.Errorf("%s.%s: %d expanded values, want 1", path, k, len(values))
				continue
			}
			if em, ok := values[0].(map[string]any); ok {
				checkNode(t, path+"."+k, cv, em)
			}
		case []any:
			if len(values) != len(cv) {
				t.Errorf("%s.%s: %d expanded values, want %d", path, k, len(values), len(cv))
				continue
			}
			for i, item := range cv {
				if cm, ok := item.(map[string]any); ok {
					em, _ := values[i].(map[string]any)
					checkNode(t, fmt.Sprintf("%s.%s[%d]", path, k, i), cm, em)
				}
			}
		}
	}
}

// listValues reads an expanded @list property as strings, in order.
func listValues(t *testing.T, e map[string]any, iri string) []string {
	t.Helper()
	values, _ := e[iri].([]any)
	if len(values) != 1 {
		t.Fatalf("%s: %d values, want one @list", iri, len(values))
	}
	list, ok := values[0].(map[string]any)["@list"].([]any)
	if !ok {
		t.Fatalf("%s is not an @list: %v", iri, values[0])
	}
	var out []string
	for _, v := range list {
		out = append(out, fmt.Sprint(v.(map[string]any)["@value"]))
	}
	return out
}

func TestJSONLDExpansion(t *testing.T) {
	l := newContextLoader(t)
	cases, svc, _ := newService(t)
	ctx := context.Background()
	in := validInput()
	in.Outcomes = []string{"Zeta kept", "Alpha improved", "Middle"}
	in.Lessons = []string{"Third", "First", "Second", "Another"}
	in.Attachments = append(in.Attachments, service.Attachment{URL: "https://example.org/p.png", MediaType: "image/png", Name: "Photo"})
	in.Savings.Amount = "125000.50"
	past := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	in.Published = &past
	v, err := cases.PublishCaseStudy(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	// Updated after publication, so that "updated" is set too.
	in.Summary += " Revised."
	if _, err := cases.UpdateCaseStudy(ctx, v.Slug, in); err != nil {
		t.Fatal(err)
	}
	article, _, err := svc.Documents().CaseStudyDocument(ctx, v.Slug)
	if err != nil {
		t.Fatal(err)
	}
	actor, err := svc.Documents().ActorDocument(ctx, "org")
	if err != nil {
		t.Fatal(err)
	}
	featured, err := svc.Documents().FeaturedCollection(ctx, "org")
	if err != nil {
		t.Fatal(err)
	}
	page, err := svc.Documents().Outbox(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	outbox, err := svc.Documents().Outbox(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("article", func(t *testing.T) {
		c, e := expand(t, l, article)
		// Every optional field must be present, or the test checks less
		// than it claims.
		for _, k := range []string{"savings", "contact", "outcomes", "lessons", "tag", "attachment", "image", "source",
			"updated", "organisationType", "serviceArea", "region", "stage", "ownershipModel"} {
			if _, ok := c[k]; !ok {
				t.Errorf("the Article lacks %q", k)
			}
		}
		checkNode(t, "Article", c, e)
		ns := ap.Namespace
		if got := listValues(t, e, ns+"outcomes"); !slices.Equal(got, in.Outcomes) {
			t.Errorf("outcomes = %v, want %v in order", got, in.Outcomes)
		}
		if got := listValues(t, e, ns+"lessons"); !slices.Equal(got, in.Lessons) {
			t.Errorf("lessons = %v, want %v in order", got, in.Lessons)
		}
		savings := e[ns+"savings"].([]any)[0].(map[string]any)
		amount := savings[ns+"amount"].([]any)[0].(map[string]any)
		if amount["@value"] != "125000.50" || amount["@type"] != "http://www.w3.org/2001/XMLSchema#decimal" {
			t.Errorf("savings amount = %v, want the xsd:decimal 125000.50", amount)
		}
	})
	t.Run("actor", func(t *testing.T) {
		c, e := expand(t, l, actor)
		for _, k := range []string{"publicKey", "endpoints", "icon", "attachment", "organisationType", "region", "pollenRole",
			"manuallyApprovesFollowers", "discoverable", "indexable", "featured"} {
			if _, ok := c[k]; !ok {
				t.Errorf("the actor lacks %q", k)
			}
		}
		checkNode(t, "Actor", c, e)
		// featured is an IRI (Mastodon reads it as one), not a string.
		f, _ := e["http://joinmastodon.org/ns#featured"].([]any)
		if len(f) != 1 || f[0].(map[string]any)["@id"] != actor.Featured {
			t.Errorf("featured expands to %v, want the IRI %s", f, actor.Featured)
		}
	})
	t.Run("featured", func(t *testing.T) {
		c, e := expand(t, l, featured)
		checkNode(t, "Featured", c, e)
	})
	t.Run("outbox", func(t *testing.T) {
		c, e := expand(t, l, outbox)
		checkNode(t, "Outbox", c, e)
	})
	t.Run("outbox page", func(t *testing.T) {
		c, e := expand(t, l, page)
		checkNode(t, "OutboxPage", c, e)
	})
}
