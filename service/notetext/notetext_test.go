package notetext_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/service/notetext"
)

func TestRender(t *testing.T) {
	r := notetext.Renderer{
		TagURL:   func(p string) string { return "https://node.example" + p },
		Mentions: map[string]string{"ann@peer.example:8080": "https://peer.example:8080/@ann"},
	}
	for _, c := range []struct {
		name, in string
		want     []string
		tags     []string
	}{
		{"paragraphs and breaks", "one\ntwo\n\n\nthree", []string{"<p>one<br/>two</p><p>three</p>"}, nil},
		{"escaped", "a < b & <script>x</script>", []string{"<p>a &lt; b &amp; &lt;script&gt;x&lt;/script&gt;</p>"}, nil},
		{"hashtags once, first spelling", "#Leisure and #leisure, #café_2 but not a#b or #123",
			[]string{`href="https://node.example/tags/leisure"`, `#<span>Leisure</span>`, `#<span>leisure</span>`,
				`href="https://node.example/tags/caf%C3%A9_2"`, "not a#b or #123</p>"}, []string{"Leisure", "café_2"}},
		{"known mention linked, unknown kept", "Hi @Ann@peer.example:8080. And @bob@peer.example.",
			[]string{`<span class="h-card"><a class="u-url mention" href="https://peer.example:8080/@ann"`, `>@<span>Ann</span></a></span>. And @bob@peer.example.</p>`}, nil},
		{"links, punctuation left out", "See https://example.org/a?b=1&c=2). Or (http://x.example/#frag, too",
			[]string{`<a href="https://example.org/a?b=1&amp;c=2"`, `>https://example.org/a?b=1&amp;c=2</a>).`, `<a href="http://x.example/#frag"`}, nil},
		{"javascript is text", "javascript:alert(1)", []string{"<p>javascript:alert(1)</p>"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			html, tags := r.Render(c.in)
			for _, w := range c.want {
				if !strings.Contains(html, w) {
					t.Errorf("no %q in\n%s", w, html)
				}
			}
			if !slices.Equal(tags, c.tags) {
				t.Errorf("hashtags %q, want %q", tags, c.tags)
			}
		})
	}
}

func TestMentions(t *testing.T) {
	got := notetext.Mentions("@Ann@peer.example:8080 and @ann@PEER.example:8080, mail a@b.example, @bob@x.example.")
	if want := []string{"ann@peer.example:8080", "bob@x.example"}; !slices.Equal(got, want) {
		t.Errorf("Mentions = %q, want %q", got, want)
	}
}
