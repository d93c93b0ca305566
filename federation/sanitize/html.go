package sanitize

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
)

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

var strictPolicy = bluemonday.StrictPolicy()

// HTML removes from remote HTML everything that could run script, load
// remote content (images included) or break the page: the result is a
// well-formed fragment, without id or name attributes, that closes every
// element it opens. Every remote HTML goes through it before it is stored
// or shown.
func HTML(s string) string {
	return sanitize(htmlPolicy, s, sanitizeOptions{})
}

// HTMLText is HTML keeping at most maxText characters of text (0: no
// limit), the fragment cut there with "…"; input past 16 bytes for each of
// those characters is not even read.
func HTMLText(s string, maxText int) string {
	return sanitize(htmlPolicy, s, sanitizeOptions{maxText: maxText})
}

// Own is HTML for the HTML our own Markdown renders to: the same policy,
// but images are kept (they are ours, or the author's choice).
func Own(s string) string {
	return sanitize(htmlPolicy, s, sanitizeOptions{images: true})
}

// breaksAsSpaces turns the line breaks and paragraph ends of HTML into
// spaces, so that the words either side stay apart once the tags go.
var breaksAsSpaces = strings.NewReplacer("<br>", " ", "<br/>", " ", "<br />", " ", "</p>", " ")

// PlainText reads an HTML value as plain text: it strips all markup,
// unescapes the text once, drops control characters and collapses white
// space. For remote summaries, which are HTML; a plain-text value (a name,
// or what a person typed) is read with CleanText instead.
func PlainText(s string) string {
	s = breaksAsSpaces.Replace(Controls(s, false))
	return CleanText(html.UnescapeString(strictPolicy.Sanitize(s)))
}

// Clip cuts s to at most max characters, at a word boundary where it can,
// ending with "…".
func Clip(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	runes := []rune(s)
	cut := string(runes[:max-1])
	if unicode.IsSpace(runes[max-1]) {
		return strings.TrimSpace(cut) + "…"
	}
	if i := strings.LastIndexFunc(cut, unicode.IsSpace); i > len(cut)/2 {
		return strings.TrimSpace(cut[:i]) + "…"
	}
	return cut + "…"
}
