package ap_test

import (
	"errors"
	"net/url"
	"testing"

	"github.com/pollen-coop/pollen/federation/ap"
)

// The seed corpus is in testdata/fuzz/FuzzParseActivity: every fixture
// body, a Pollen Article and hostile variants. What the converters make of
// a parsed object is fuzzed by FuzzToCaseStudy in package
// federation/convert. Run with
//
//	go test ./federation/ap -run '^$' -fuzz FuzzParseActivity -fuzztime 60s

func FuzzParseActivity(f *testing.F) {
	f.Add([]byte(`{"id":"https://e.example/1","type":"Create","actor":"https://e.example/u","object":{"id":"https://e.example/n","type":"Note","content":"<p onclick=x>hi<script>1</script></p>","inReplyTo":"https://p.example/c","attributedTo":"https://e.example/u"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := ap.ParseActivity(body)
		if err != nil {
			fuzzCheckRefusal(t, err)
			return
		}
		fuzzCheckIRI(t, "id", a.ID, false)
		if a.Type == "" {
			t.Fatalf("accepted without a type: %q", body)
		}
		for _, r := range a.Objects {
			if r.Object != nil {
				fuzzCheckIRI(t, "embedded id", r.Object.ID, true)
			}
		}
	})
}

// fuzzCheckRefusal wants an ErrMalformed or an ErrTooLarge with a reason.
func fuzzCheckRefusal(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ap.ErrMalformed) && !errors.Is(err, ap.ErrTooLarge) || err.Error() == "" {
		t.Fatalf("refusal is neither ErrMalformed nor ErrTooLarge with a reason: %v", err)
	}
}

func fuzzCheckIRI(t *testing.T, what, iri string, mayBeEmpty bool) {
	t.Helper()
	if iri == "" && mayBeEmpty {
		return
	}
	u, err := url.Parse(iri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		t.Fatalf("accepted %s %q that is not an absolute http(s) URL", what, iri)
	}
}
