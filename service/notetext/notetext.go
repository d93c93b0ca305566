// Package notetext renders the plain text of the organisation's notes as
// the HTML peers and clients show: paragraphs and line breaks, links made
// of URLs, #hashtags and the @user@host mentions that resolved. It
// imports only federation/sanitize.
package notetext

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pollen-coop/pollen/federation/sanitize"
)

// noteToken finds what a note's text links: URLs, #hashtags and
// @user@host mentions.
var noteToken = regexp.MustCompile(`https?://[^\s<>"]+|#[\p{L}\p{N}_]+|@[\p{L}\p{N}_.-]+@[\p{L}\p{N}.-]+(?::[0-9]+)?`)

// Renderer renders a note's plain text as HTML: paragraphs at blank
// lines, line breaks within them, links made of URLs, hashtags (to
// TagURL("/tags/NAME")) and the mentions in Mentions (the address of the
// actor of each acct, user@host in lower case); other mentions stay text.
type Renderer struct {
	TagURL   func(path string) string
	Mentions map[string]string
	hashtags []string
}

// Mentions lists the accts (user@host, lower case) the text mentions,
// each once.
func Mentions(text string) []string {
	var out []string
	for _, loc := range noteToken.FindAllStringIndex(text, -1) {
		tok := text[loc[0]:loc[1]]
		if tok[0] == '@' && boundary(text, loc[0]) {
			acct := strings.ToLower(trimMention(tok[1:]))
			if !contains(out, acct) {
				out = append(out, acct)
			}
		}
	}
	return out
}

// Render returns the sanitised HTML of text and the hashtags it links
// (without '#', each once, as first typed).
func (r Renderer) Render(text string) (string, []string) {
	r.hashtags = nil
	var b strings.Builder
	for _, para := range regexp.MustCompile(`\n[ \t]*\n\s*`).Split(strings.TrimSpace(text), -1) {
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			r.line(&b, line)
		}
		b.WriteString("</p>")
	}
	return sanitize.HTML(b.String()), r.hashtags
}

// line writes one line of text, escaped, its tokens linked.
func (r *Renderer) line(b *strings.Builder, line string) {
	last := 0
	for _, loc := range noteToken.FindAllStringIndex(line, -1) {
		tok := line[loc[0]:loc[1]]
		if !boundary(line, loc[0]) {
			continue
		}
		var link string
		switch tok[0] {
		case 'h':
			tok = strings.TrimRight(tok, ".,;:!?)'")
			u := html.EscapeString(tok)
			link = `<a href="` + u + `" rel="nofollow noopener noreferrer" target="_blank">` + u + `</a>`
		case '#':
			name := tok[1:]
			if !strings.ContainsFunc(name, unicode.IsLetter) {
				continue
			}
			if !containsFold(r.hashtags, name) {
				r.hashtags = append(r.hashtags, name)
			}
			href := r.TagURL("/tags/" + url.PathEscape(strings.ToLower(name)))
			link = `<a href="` + html.EscapeString(href) + `" class="mention hashtag" rel="tag">#<span>` + html.EscapeString(name) + `</span></a>`
		case '@':
			tok = "@" + trimMention(tok[1:])
			href, ok := r.Mentions[strings.ToLower(tok[1:])]
			if !ok {
				continue
			}
			user, _, _ := strings.Cut(tok[1:], "@")
			link = `<span class="h-card"><a href="` + html.EscapeString(href) + `" class="u-url mention">@<span>` +
				html.EscapeString(user) + `</span></a></span>`
		}
		end := loc[0] + len(tok)
		b.WriteString(html.EscapeString(line[last:loc[0]]))
		b.WriteString(link)
		last = end
	}
	b.WriteString(html.EscapeString(line[last:]))
}

// boundary reports whether a token starting at i stands alone: at the
// start, or after a character that is not a letter, digit or one that
// joins words.
func boundary(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("_/@#&:.-", r)
}

// trimMention drops the punctuation that ends a sentence after a handle.
func trimMention(acct string) string { return strings.TrimRight(acct, ".-") }

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func containsFold(l []string, s string) bool {
	for _, x := range l {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
