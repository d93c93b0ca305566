package topics

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ area, want string }{
		{"libraries", "libraries"},
		{"adult social care", "adult-social-care"},
		{"children's services", "childrens-services"},
		{"Children’s Services", "childrens-services"},
		{"  Parks & green   spaces!  ", "parks-green-spaces"},
		{"école publique", "cole-publique"},
		{"---", ""},
		{"", ""},
		{"日本語", ""},
		{strings.Repeat("long ", 20), "long-long-long-long-long-long-long-long"},
		{strings.Repeat("x", 60), strings.Repeat("x", MaxHandle)},
	} {
		if got := Slug(tc.area); got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.area, got, tc.want)
		}
	}
}

func TestKnownSlugsAreDistinct(t *testing.T) {
	seen := map[string]string{}
	for _, a := range Known {
		s := Slug(a)
		if s == "" || seen[s] != "" {
			t.Errorf("known area %q slugs to %q (also %q)", a, s, seen[s])
		}
		seen[s] = a
		if Area(a) != a {
			t.Errorf("known area %q is not in the form Area gives", a)
		}
	}
}

func TestAnnounceIDAndWithout(t *testing.T) {
	a, b := AnnounceID("https://h.example/actors/libraries", "https://n.example/case-studies/x"), AnnounceID("https://h.example/actors/hub", "https://n.example/case-studies/x")
	if a == b || a != AnnounceID("https://h.example/actors/libraries", "https://n.example/case-studies/x") ||
		!strings.HasPrefix(a, "https://h.example/actors/libraries/announces/") {
		t.Errorf("AnnounceID: %s and %s", a, b)
	}
	if got := Without([]string{"a", "b", "c"}, []string{"b"}); !reflect.DeepEqual(got, []string{"a", "c"}) {
		t.Errorf("Without = %v", got)
	}
}

var handleRE = regexp.MustCompile(`^([a-z0-9]+(-[a-z0-9]+)*)?$`)

// FuzzSlug: any area, as a received case study may name it, gives a
// handle of letters, digits and single hyphens, within MaxHandle.
func FuzzSlug(f *testing.F) {
	for _, s := range []string{"libraries", "children's services", "a--b", "\x00\xff", "ö-ü", strings.Repeat("ab-", 30)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, area string) {
		s := Slug(area)
		if len(s) > MaxHandle || !handleRE.MatchString(s) || !utf8.ValidString(s) {
			t.Fatalf("Slug(%q) = %q", area, s)
		}
		if Slug(Area(area)) != s {
			t.Fatalf("Slug(Area(%q)) = %q, Slug = %q", area, Slug(Area(area)), s)
		}
	})
}
