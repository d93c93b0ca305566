package federation

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// markdown renders case study bodies: GitHub-flavoured Markdown without raw
// HTML (goldmark drops it unless told otherwise).
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))

// htmlPolicy is what survives in stored HTML, ours or a peer's: the
// elements and attributes of user-generated content, links made safe.
var htmlPolicy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(mention|hashtag|u-url|h-card|invisible|ellipsis)( [a-z-]+)*$`)).OnElements("a", "span")
	return p
}()

// RenderMarkdown turns Markdown into sanitised HTML.
func RenderMarkdown(src string) (string, error) {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("federation: render markdown: %w", err)
	}
	return SanitizeHTML(buf.String()), nil
}

// SanitizeHTML removes from HTML everything that could run script, load
// remote content or break the page. Every remote HTML goes through it before
// it is stored or shown.
func SanitizeHTML(s string) string {
	return strings.TrimSpace(htmlPolicy.Sanitize(s))
}

var strictPolicy = bluemonday.StrictPolicy()

// PlainText strips all markup from s and collapses white space: for
// summaries and names, which are plain text.
func PlainText(s string) string {
	s = strings.NewReplacer("<br>", " ", "<br/>", " ", "<br />", " ", "</p>", " ").Replace(s)
	return strings.Join(strings.Fields(html.UnescapeString(strictPolicy.Sanitize(s))), " ")
}
