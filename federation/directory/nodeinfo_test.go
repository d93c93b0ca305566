package directory

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseLinks(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
		err              bool
	}{
		{"2.1 preferred", `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"https://a/20"},{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":"https://a/21"}]}`, "https://a/21", false},
		{"2.0 only", `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"https://a/20"}]}`, "https://a/20", false},
		{"unknown schema", `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/1.0","href":"https://a/10"}]}`, "", true},
		{"no href", `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1"}]}`, "", true},
		{"not JSON", `<html>`, "", true},
		{"links not a list", `{"links":"x"}`, "", true},
	} {
		got, err := parseLinks([]byte(tc.body))
		if got != tc.want || (err != nil) != tc.err || (err != nil && !errors.Is(err, ErrBadNodeInfo)) {
			t.Errorf("%s: %q, %v", tc.name, got, err)
		}
	}
}

func TestParseNodeInfo(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       Info
		err        bool
	}{
		{"pollen", `{"software":{"name":"pollen","version":"0.9.0"},"metadata":{"organisationType":"council","region":"North West"}}`,
			Info{Software: "pollen", Version: "0.9.0", OrganisationType: "council", Region: "North West"}, false},
		{"mastodon", `{"software":{"name":"mastodon","version":"4.3.1"},"metadata":{}}`, Info{Software: "mastodon", Version: "4.3.1"}, false},
		{"odd types", `{"software":{"name":"gts","version":4},"metadata":{"region":["x"]}}`, Info{Software: "gts"}, false},
		{"control characters", `{"software":{"name":"a\u0000b\nc"}}`, Info{Software: "abc"}, false},
		{"no software", `{"metadata":{}}`, Info{}, true},
		{"not JSON", `nope`, Info{}, true},
	} {
		got, err := parseNodeInfo([]byte(tc.body))
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("%s: %+v, %v, want %+v", tc.name, got, err, tc.want)
		}
	}
	long, _ := parseNodeInfo([]byte(`{"software":{"name":"` + strings.Repeat("é", 500) + `"}}`))
	if utf8.RuneCountInString(long.Software) != maxField {
		t.Errorf("a long name keeps %d characters, want %d", utf8.RuneCountInString(long.Software), maxField)
	}
}

// FuzzNodeInfo: whatever a server answers, the parsers return an error
// or fields of valid text within maxField, never panic.
func FuzzNodeInfo(f *testing.F) {
	for _, s := range []string{`{"links":[]}`, `{"software":{"name":"pollen","version":"1"}}`, `{"software":{"name":"\xff"}}`, `[]`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _ = parseLinks(body)
		info, err := parseNodeInfo(body)
		if err != nil {
			return
		}
		for _, s := range []string{info.Software, info.Version, info.OrganisationType, info.Region} {
			if !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxField || strings.ContainsAny(s, "\x00\n\r") {
				t.Fatalf("field %q from %q", s, body)
			}
		}
		if info.Software == "" {
			t.Fatalf("no software from %q, and no error", body)
		}
	})
}
