package sanitize_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/pollen-coop/pollen/federation/sanitize"
)

// reparse parses a fragment as the content of a <div> and renders it
// again: a well-formed fragment comes back unchanged.
func reparse(t testing.TB, s string) (string, []*html.Node) {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, n := range nodes {
		if err := html.Render(&b, n); err != nil {
			t.Fatal(err)
		}
	}
	return b.String(), nodes
}

// checkSafe fails unless out is a well-formed fragment without script,
// event handlers, javascript: URLs, images, ids or names.
func checkSafe(t testing.TB, in, out string) {
	t.Helper()
	again, nodes := reparse(t, out)
	if again != out {
		t.Fatalf("SanitizeHTML(%q) = %q is not well-formed: it renders again as %q", in, out, again)
	}
	if !utf8.ValidString(out) || strings.ContainsRune(out, 0) {
		t.Fatalf("SanitizeHTML(%q) = %q: invalid UTF-8 or NUL", in, out)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Iframe, atom.Img, atom.Object, atom.Embed, atom.Form, atom.Svg, atom.Math:
				t.Fatalf("SanitizeHTML(%q) = %q keeps <%s>", in, out, n.Data)
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				val := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				if strings.HasPrefix(key, "on") || key == "id" || key == "name" || key == "style" || key == "srcdoc" ||
					strings.Contains(val, "javascript:") || strings.Contains(val, "vbscript:") || strings.HasPrefix(val, "data:") {
					t.Fatalf("SanitizeHTML(%q) = %q keeps %s=%q on <%s>", in, out, a.Key, a.Val, n.Data)
				}
			}
		}
		if n.Type == html.CommentNode {
			t.Fatalf("SanitizeHTML(%q) = %q keeps a comment", in, out)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
}

// unbalanced are replies that try to reach out of their container.
var unbalanced = []string{
	`<a href="https://evil.example/login"><details><summary>Read more</summary><table><tr><td>`,
	`<ul><li>one<li>two`,
	`<blockquote><p>quoted`,
	`<p>x</p></div></div></main><footer>fake footer`,
	`</li></ol></section><div class="column-one-third">`,
	`<table><tr><td>cell</td>`,
	`<td>loose cell</td></tr></table>`,
	`<table><caption>x`,
	`<!-- the rest of the page is a comment`,
	`<p>text <!-- unclosed`,
	`<pre><code>never closed`,
	`<a href="https://evil.example"><a href="https://evil.example/2">nested`,
	`<b><i>misnested</b></i>`,
	`<details open><summary>s`,
	`<h1>heading`,
	`<textarea>`,
	`<title>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
	`<svg><p><style><img src=x onerror=alert(1)></style>`,
	`<math><mi><table><mglyph><style><img src=x onerror=alert(1)>`,
	"<p>\x00NUL\x01 and \xff invalid</p>",
	`<p id="main-content" name="x">hijack the skip link</p>`,
	`<a id="contact-heading" href="https://x.example/">x</a>`,
	`<img src="https://tracker.example/pixel.gif" alt="">`,
	`<p><img src="https://tracker.example/p.gif">text</p>`,
}

func TestSanitizeHTMLBalances(t *testing.T) {
	for _, in := range unbalanced {
		out := sanitize.HTML(in)
		checkSafe(t, in, out)
		// Inside its container, the fragment closes everything it opens:
		// what follows the container is the container's sibling.
		page := `<main><div class="reply-content">` + out + `</div><footer id="f">footer</footer></main>`
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		footer := find(doc, func(n *html.Node) bool { return attr(n, "id") == "f" })
		if footer == nil || footer.Parent.DataAtom != atom.Main {
			t.Errorf("SanitizeHTML(%q) = %q: the footer after it is not the container's sibling", in, out)
		}
	}
}

func TestSanitizeHTMLDropsImagesAndIDs(t *testing.T) {
	got := sanitize.HTML(`<p id="main-content" name="n">Hello <img src="https://tracker.example/p.gif" alt="x"><a name="top" href="https://e.example/">link</a></p>`)
	want := `<p>Hello <a href="https://e.example/" rel="nofollow noreferrer noopener" target="_blank">link</a></p>`
	if got != want {
		t.Errorf("SanitizeHTML = %q, want %q", got, want)
	}
}

func TestSanitizeHTMLTextLimit(t *testing.T) {
	in := "<p>" + strings.Repeat("word ", 100) + "</p><p>second <b>bold</b></p>"
	got := sanitize.HTMLText(in, 50)
	checkSafe(t, in, got)
	text := sanitize.PlainText(got)
	if n := utf8.RuneCountInString(text); n > 50 || !strings.HasSuffix(text, "…") || strings.Contains(got, "second") {
		t.Errorf("SanitizeHTMLText(_, 50) = %q (%d characters of text)", got, n)
	}
	many := strings.Repeat("<b></b>", 1000) + "<p>after</p>"
	if got := sanitize.HTMLText(many, 100); strings.Count(got, "<b>") > 10 || strings.Contains(got, "after") {
		t.Errorf("SanitizeHTMLText kept %d elements of an empty flood: %q", strings.Count(got, "<b>"), got)
	}
	if got := sanitize.HTMLText("<p>short</p>", 50); got != "<p>short</p>" {
		t.Errorf("SanitizeHTMLText of a short reply = %q", got)
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ann\x00 Smith", "Ann Smith"},
		{"a\u0007b\u009fc", "abc"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{" two\n lines\t", "two lines"},
		{"&lt;img src=x onerror=alert(1)&gt;", "&lt;img src=x onerror=alert(1)&gt;"},
		{"<b>as typed</b>", "<b>as typed</b>"},
	}
	for _, tt := range tests {
		if got := sanitize.CleanText(tt.in); got != tt.want {
			t.Errorf("CleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzSanitizeHTML(f *testing.F) {
	for _, s := range unbalanced {
		f.Add(s, 0)
	}
	f.Add(`<a href="javascript:alert(1)" onclick="x()">x</a><script>alert(1)</script>`, 10)
	f.Add(`<a href="&#106;avascript:alert(1)">x</a>`, 0)
	f.Add(`<p>`+strings.Repeat("long text ", 20)+`</p>`, 7)
	f.Fuzz(func(t *testing.T, in string, limit int) {
		if limit < 0 || limit > 1000 {
			limit = 0
		}
		checkSafe(t, in, sanitize.HTMLText(in, limit))
		if limit == 0 {
			checkSafe(t, in, sanitize.HTML(in))
		}
	})
}

func find(n *html.Node, match func(*html.Node) bool) *html.Node {
	if match(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if m := find(c, match); m != nil {
			return m
		}
	}
	return nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestSanitizeHTMLTooDeep: markup nested deeper than the parser follows is
// dropped whole rather than kept unbalanced.
func TestSanitizeHTMLTooDeep(t *testing.T) {
	in := strings.Repeat("<div><b>", 2000) + "text"
	if got := sanitize.HTML(in); got != "" {
		t.Errorf("SanitizeHTML of 4000 nested elements = %d bytes, want none", len(got))
	}
	if got := sanitize.HTML(strings.Repeat("<div>", 100) + "text"); !strings.Contains(got, "text") {
		t.Errorf("SanitizeHTML of 100 nested elements = %q", got)
	}
}

func TestSanitizeRemoteHTML(t *testing.T) {
	in := `<p>Hi <a href="https://x.example/@a" class="mention u-url" onclick="x()">@a</a><script>x()</script></p>`
	got := sanitize.HTML(in)
	if strings.Contains(got, "script") || strings.Contains(got, "onclick") {
		t.Errorf("SanitizeHTML kept script: %q", got)
	}
	if !strings.Contains(got, `class="mention u-url"`) {
		t.Errorf("SanitizeHTML dropped Mastodon's mention class: %q", got)
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>One</p><p>Two</p>", "One Two"},
		{"a<br>b", "a b"},
		{"Fish &amp; chips", "Fish & chips"},
		{"<script>alert(1)</script>Safe", "Safe"},
		{"  spaced \n out ", "spaced out"},
	}
	for _, tt := range tests {
		if got := sanitize.PlainText(tt.in); got != tt.want {
			t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
