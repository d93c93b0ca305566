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

// RenderMarkdown turns Markdown into sanitised, well-formed HTML. Our own
// case studies may show images.
func RenderMarkdown(src string) (string, error) {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("federation: render markdown: %w", err)
	}
	return sanitize(htmlPolicy, buf.String(), sanitizeOptions{images: true}), nil
}

// SanitizeHTML removes from remote HTML everything that could run script,
// load remote content (images included) or break the page: the result is
// a well-formed fragment, without id or name attributes, that closes every
// element it opens. Every remote HTML goes through it before it is stored
// or shown.
func SanitizeHTML(s string) string {
	return sanitize(htmlPolicy, s, sanitizeOptions{})
}

// SanitizeHTMLText is SanitizeHTML keeping at most maxText characters of
// text (0: no limit), the fragment cut there with "…"; input past 16
// bytes for each of those characters is not even read.
func SanitizeHTMLText(s string, maxText int) string {
	return sanitize(htmlPolicy, s, sanitizeOptions{maxText: maxText})
}

var strictPolicy = bluemonday.StrictPolicy()

// PlainText reads an HTML value as plain text: it strips all markup,
// unescapes the text once, drops control characters and collapses white
// space. For remote summaries, which are HTML; a plain-text value (a name,
// or what a person typed) is read with CleanText instead.
func PlainText(s string) string {
	s = strings.NewReplacer("<br>", " ", "<br/>", " ", "<br />", " ", "</p>", " ").Replace(cleanControls(s, false))
	return CleanText(html.UnescapeString(strictPolicy.Sanitize(s)))
}
