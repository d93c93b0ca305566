package fetch

import (
	"crypto/rsa"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pollen-coop/pollen/federation/httpsig"
)

// FuzzRemoteActor feeds actor and key documents, as a peer answers a fetch,
// to the checks and the conversion the node caches them with. They must
// never panic; a document accepted must be an actor with an http(s) id, an
// inbox, and a readable key on its own host that is the one asked for, and
// its name and handle within their limits. The seeds are the actor
// fixtures of testdata/actors, and in testdata/fuzz/FuzzRemoteActor an
// actor whose 16384-bit key would make each signature it sends cost many
// times a normal one (refused: see httpsig.MaxKeyBits).
func FuzzRemoteActor(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(testdata, "actors", "*.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		doc := strings.ReplaceAll(string(data), "TEST_PUBLIC_KEY", jsonEscape(publicPEM(f, readTestKey(f, "test-key.pem"))))
		f.Add([]byte(doc), "")
		if d, err := decodeRemoteActor([]byte(doc)); err == nil {
			if k, ok := d.key(""); ok {
				f.Add([]byte(doc), k.ID)
			}
		}
	}
	f.Fuzz(func(t *testing.T, doc []byte, keyID string) {
		d, err := decodeRemoteActor(doc)
		if err != nil {
			return
		}
		a, err := d.toModel(doc, keyID, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
		if err != nil {
			return
		}
		u, perr := url.Parse(a.IRI)
		switch {
		case perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			t.Fatalf("accepted the id %q", a.IRI)
		case !isHTTPURL(a.Inbox):
			t.Fatalf("accepted the inbox %q", a.Inbox)
		case keyID != "" && a.KeyID != keyID:
			t.Fatalf("asked for the key %q, kept %q", keyID, a.KeyID)
		case !httpsig.SameHost(a.KeyID, a.IRI):
			t.Fatalf("kept the key %q of another host than %q", a.KeyID, a.IRI)
		case utf8.RuneCountInString(a.Name) > maxShortText || utf8.RuneCountInString(a.Handle) > maxShortText:
			t.Fatalf("name %q or handle %q too long", a.Name, a.Handle)
		}
		pub, err := httpsig.ParsePublicKeyPEM(a.PublicKeyPEM)
		if err != nil {
			t.Fatalf("kept a key that cannot be read: %v", err)
		}
		if rk, ok := pub.(*rsa.PublicKey); ok && rk.N.BitLen() > httpsig.MaxKeyBits {
			t.Fatalf("kept a %d-bit key", rk.N.BitLen())
		}
		for _, link := range []string{a.URL, a.IconURL, a.Outbox, a.Followers, a.Following, a.SharedInbox} {
			if link != "" && !isHTTPURL(link) {
				t.Fatalf("kept the link %q", link)
			}
		}
	})
}
