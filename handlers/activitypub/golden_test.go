package activitypub_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/testrig"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fixedDate is the publication date of the golden case studies; other
// dates are made at run time and normalised.
const (
	fixedDate  = "2024-03-01T09:00:00Z"
	fixedDate2 = "2024-02-01T09:00:00Z"
)

var (
	datePattern = regexp.MustCompile(`"(published|updated|deleted)":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"`)
	pemPattern  = regexp.MustCompile(`"publicKeyPem":"-----BEGIN PUBLIC KEY-----\\n[A-Za-z0-9+/=\\n]+-----END PUBLIC KEY-----\\n"`)
)

// normalise makes an answer deterministic: the port becomes PORT, the
// public key PEM and dates made at run time become placeholders. It keeps
// the server's key order and indents the JSON.
func normalise(t *testing.T, body []byte, hostport string) []byte {
	t.Helper()
	var compact bytes.Buffer
	if err := json.Compact(&compact, body); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
	s := compact.String()
	if n := len(pemPattern.FindAllString(s, -1)); n > 1 {
		t.Fatalf("%d public keys in one document", n)
	}
	s = pemPattern.ReplaceAllString(s, `"publicKeyPem":"PUBLIC KEY PEM"`)
	s = datePattern.ReplaceAllStringFunc(s, func(m string) string {
		sub := datePattern.FindStringSubmatch(m)
		if sub[2] == fixedDate || sub[2] == fixedDate2 {
			return m
		}
		if _, err := time.Parse(time.RFC3339, sub[2]); err != nil {
			t.Errorf("bad date %s", m)
		}
		return `"` + sub[1] + `":"DATE"`
	})
	s = strings.ReplaceAll(s, hostport, "127.0.0.1:PORT")
	var out bytes.Buffer
	if err := json.Indent(&out, []byte(s), "", "  "); err != nil {
		t.Fatal(err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./handlers/activitypub/ -run Golden -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (rerun with -update if the change is meant):\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}

// TestGolden pins the documents other servers read. The files are the
// contract with Mastodon and other peers: read a diff before accepting it.
// Both databases must give the same documents.
func TestGolden(t *testing.T) {
	testrig.EachNode(t, testGolden)
}

func testGolden(t *testing.T, n *testrig.Node) {
	hostport := strings.TrimPrefix(n.URL, "http://")
	first := testrig.CaseStudyBody()
	n.Publish(t, first)
	second := map[string]any{
		"title": "Youth services as a co-operative", "summary": "A short one, with the defaults.",
		"body": "Text.", "service_area": "youth services", "published": fixedDate2,
	}
	n.Publish(t, second)
	gone := n.Publish(t, map[string]any{"title": "Withdrawn", "summary": "S", "body": "B", "published": fixedDate})
	if r := n.API(t, http.MethodDelete, "/case-studies/"+gone["slug"].(string), nil); r.Status != http.StatusNoContent {
		t.Fatal(r.Status)
	}

	tests := []struct {
		name, url, accept string
		status            int
	}{
		{"webfinger", "/.well-known/webfinger?resource=" + url.QueryEscape("acct:org@"+hostport), "", 200},
		{"actor", "/actors/org", "application/activity+json", 200},
		{"nodeinfo-links", "/.well-known/nodeinfo", "", 200},
		{"nodeinfo-2.1", "/nodeinfo/2.1", "", 200},
		{"nodeinfo-2.0", "/nodeinfo/2.0", "", 200},
		{"article", "/case-studies/keeping-the-libraries-open", "application/activity+json", 200},
		{"tombstone", "/case-studies/withdrawn", "application/activity+json", 410},
		{"outbox", "/actors/org/outbox", "application/activity+json", 200},
		{"outbox-page", "/actors/org/outbox?page=1", "application/activity+json", 200},
		{"followers", "/actors/org/followers", "application/activity+json", 200},
		{"featured", "/actors/org/featured", "application/activity+json", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			if tt.accept != "" {
				h["Accept"] = tt.accept
			}
			r := testrig.Do(t, http.MethodGet, n.URL+tt.url, nil, h)
			if r.Status != tt.status {
				t.Fatalf("%d %s", r.Status, r.Body)
			}
			checkGolden(t, tt.name, normalise(t, r.Body, hostport))
		})
	}
}
