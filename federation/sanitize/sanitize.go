// Package sanitize cleans the HTML and text the node stores and shows:
// remote HTML (a peer's content, summaries, replies) and the HTML our own
// Markdown renders to, kept well-formed and free of script, remote images,
// ids and control characters; and plain-text values. It imports nothing of
// Pollen.
package sanitize

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// sanitizeOptions says what a fragment may keep beyond the policy.
type sanitizeOptions struct {
	// images keeps <img> elements (our own Markdown only: a remote image
	// would tell its server who reads the page).
	images bool
	// maxText is the most characters of text kept, 0 for no limit; the
	// fragment is cut there and ends with "…". At most one element per
	// ten characters is kept with it.
	maxText int
}

// inputPerChar is how many bytes of input a fragment cut to n characters
// of text reads at most: n times this many. The rest is not parsed.
const inputPerChar = 16

// sanitize cleans s with policy, then parses what is left as the content
// of a <div> and renders it again, so that the fragment is well-formed:
// every element it opens is closed inside it, and a stray closing tag is
// dropped. Rendering the result and parsing it again gives it back
// unchanged; when the parser disagrees with itself (it should not), the
// fragment falls back to its text, escaped.
func sanitize(policy *bluemonday.Policy, s string, opt sanitizeOptions) string {
	if limit := opt.maxText * inputPerChar; opt.maxText > 0 && len(s) > limit {
		s = s[:limit] // what is cut could not be kept anyway, unless it is nearly all markup
	}
	out := balance(policy.Sanitize(Controls(s, true)), opt)
	for range 3 {
		again := balance(out, sanitizeOptions{images: true})
		if again == out {
			return out
		}
		out = again
	}
	return html.EscapeString(PlainText(out))
}

// balance parses s as the children of a <div> and renders the tree again,
// without id and name attributes, comments, images unless opt.images, and
// cut to opt.maxText. A fragment nested deeper than the parser allows (512
// open elements) gives "".
func balance(s string, opt sanitizeOptions) string {
	root := container()
	nodes, err := html.ParseFragment(strings.NewReader(s), root)
	if err != nil {
		return "" // nested deeper than the parser follows: nothing is kept
	}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	c := cutter{images: opt.images, text: math.MaxInt, elems: math.MaxInt}
	if opt.maxText > 0 {
		c.text, c.elems = opt.maxText, max(opt.maxText/10, 1)
	}
	c.walk(root)
	var b strings.Builder
	for n := root.FirstChild; n != nil; n = n.NextSibling {
		if err := html.Render(&b, n); err != nil {
			return ""
		}
	}
	return strings.TrimSpace(b.String())
}

// container is the element a fragment is parsed into: the <div> each
// stored fragment is shown in.
func container() *html.Node {
	return &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
}

// cutter trims a parsed fragment in place: what is left of the text and
// element budgets, and whether images stay.
type cutter struct {
	images      bool
	text, elems int
	done        bool
}

func (c *cutter) walk(parent *html.Node) {
	for n := parent.FirstChild; n != nil; {
		next := n.NextSibling
		switch {
		case c.done, n.Type == html.CommentNode, n.Type == html.DoctypeNode,
			n.Type == html.ElementNode && n.DataAtom == atom.Img && !c.images:
			parent.RemoveChild(n)
		case n.Type == html.ElementNode:
			if c.elems--; c.elems < 0 {
				c.done = true
				parent.RemoveChild(n)
				break
			}
			n.Attr = slices.DeleteFunc(n.Attr, func(a html.Attribute) bool {
				return a.Namespace == "" && (a.Key == "id" || a.Key == "name")
			})
			c.walk(n)
		case n.Type == html.TextNode:
			if count := utf8.RuneCountInString(n.Data); count > c.text {
				n.Data = Clip(n.Data, max(c.text, 1))
				c.done = true
			} else {
				c.text -= count
			}
		}
		n = next
	}
}

// Controls makes s valid UTF-8 (an invalid byte becomes U+FFFD) and
// drops NUL and the other control characters, which no database column
// should hold; tabs and line breaks stay when keepLines is set, and become
// spaces otherwise.
func Controls(s string, keepLines bool) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			if keepLines {
				return r
			}
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// CleanText is a plain-text value as it is stored: as typed, but valid
// UTF-8, without control characters, its white space collapsed to single
// spaces. Markup in it is text, escaped wherever it is written into HTML.
func CleanText(s string) string {
	return strings.Join(strings.Fields(Controls(s, false)), " ")
}
