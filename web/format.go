package web

import (
	stdhtml "html"
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// headingLevels are the heading elements and their levels.
var headingLevels = map[atom.Atom]int{atom.H1: 1, atom.H2: 2, atom.H3: 3, atom.H4: 4, atom.H5: 5, atom.H6: 6}

// headingAtoms are the heading elements by level.
var headingAtoms = [...]atom.Atom{1: atom.H1, 2: atom.H2, 3: atom.H3, 4: atom.H4, 5: atom.H5, 6: atom.H6}

// Body marks a stored fragment (a case study's content, a reply) as safe
// HTML to show inside a <div>, its headings moved so that its top level is
// h2 (the page's title stays its only h1, and no level is skipped below
// it), keeping their order. The fragment must already be
// sanitised (federation/sanitize.HTML does it before anything is stored);
// Body parses it and renders it again, so that even a fragment stored
// before sanitising balanced its tags closes everything it opens and
// cannot reach out of its container.
func Body(sanitised string) template.HTML {
	nodes, err := html.ParseFragment(strings.NewReader(sanitised), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return ""
	}
	top := 7
	for _, n := range nodes {
		top = min(top, topHeading(n))
	}
	var b strings.Builder
	for _, n := range nodes {
		shiftHeadings(n, 2-top)
		if err := html.Render(&b, n); err != nil {
			return ""
		}
	}
	return template.HTML(b.String()) // #nosec: sanitised before storage, balanced here
}

// topHeading is the level of the highest heading in n (1 for h1), 7 if
// there is none.
func topHeading(n *html.Node) int {
	top := 7
	if l, ok := headingLevels[n.DataAtom]; ok && n.Type == html.ElementNode {
		top = l
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		top = min(top, topHeading(c))
	}
	return top
}

// shiftHeadings moves each heading in n by by levels, within h2 to h6.
func shiftHeadings(n *html.Node, by int) {
	if l, ok := headingLevels[n.DataAtom]; ok && n.Type == html.ElementNode {
		to := headingAtoms[min(max(l+by, 2), 6)]
		n.DataAtom, n.Data = to, to.String()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		shiftHeadings(c, by)
	}
}

// Sentence returns s with its first letter in upper case, as GOV.UK writes
// labels: "adult social care" becomes "Adult social care".
func Sentence(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

var currencySymbols = map[string]string{"GBP": "£", "EUR": "€", "USD": "$"}

var periodWords = map[string]string{
	"week": "a week", "month": "a month", "quarter": "a quarter", "year": "a year", "one-off": "one-off",
}

// Money writes an amount of savings for people: "£120,000 a year",
// "CHF 5,000.50 one-off".
func Money(amount, currency, period string) string {
	whole, frac, _ := strings.Cut(strings.TrimSpace(amount), ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	num := b.String()
	if strings.Trim(frac, "0") != "" {
		if len(frac) == 1 {
			frac += "0"
		}
		num += "." + frac
	}
	if neg {
		num = "-" + num
	}
	code := strings.ToUpper(currency)
	out := code + " " + num
	if sym, ok := currencySymbols[code]; ok {
		out = sym + num
	}
	if p := periodWords[period]; p != "" {
		out += " " + p
	} else if period != "" {
		out += " (" + period + ")"
	}
	return out
}

// MediaLabel names a media type for people: "PDF", "Word document".
func MediaLabel(mediaType string) string {
	switch mediaType {
	case "application/pdf":
		return "PDF"
	case "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/msword":
		return "Word document"
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel":
		return "spreadsheet"
	case "text/csv":
		return "CSV"
	case "text/html":
		return "web page"
	case "":
		return "link"
	}
	return mediaType
}

// Snippet marks a search snippet (its text escaped, the matched words in
// <mark>, as the service writes it) as safe HTML. It trusts nothing else:
// it reads the text back, escapes it again and lets only <mark> and
// </mark> through, so a snippet that was not escaped shows its markup as
// text.
func Snippet(escaped string) template.HTML {
	s := stdhtml.EscapeString(stdhtml.UnescapeString(escaped))
	s = strings.ReplaceAll(s, "&lt;mark&gt;", "<mark>")
	s = strings.ReplaceAll(s, "&lt;/mark&gt;", "</mark>")
	// Close any mark left open, so the snippet cannot reach out of its
	// container.
	if open := strings.Count(s, "<mark>") - strings.Count(s, "</mark>"); open > 0 {
		s += strings.Repeat("</mark>", open)
	}
	return template.HTML(s) //nolint:gosec // escaped above; only <mark> is let through.
}
