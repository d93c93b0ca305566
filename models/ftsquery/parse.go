// Package ftsquery reads the search syntax Pollen offers on both
// databases — words, "quoted phrases", OR between two terms, -excluded
// terms and prefixes (mutual*) — and writes it as an SQLite FTS5 MATCH
// expression and as a PostgreSQL tsquery (for to_tsquery). What it writes
// holds only letters, digits and its own operators, so neither database
// can fail to parse it.
package ftsquery

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLength is the longest query Parse reads, in characters.
const MaxLength = 500

// MaxTerms is the most terms (words, phrases, prefixes) a query may hold.
const MaxTerms = 32

// Error is a query Parse refuses; its message is written for the person
// who typed the query.
type Error struct{ Message string }

func (e *Error) Error() string { return e.Message }

// Term is a word, a prefix (Prefix: the last word may be followed by
// more letters) or a phrase (more than one word, in order). Words are
// lower-cased runs of letters and digits.
type Term struct {
	Words   []string
	Prefix  bool
	Exclude bool
}

// Query is a parsed search: every group must match (AND), a group
// matches when one of its terms does (OR). An excluded term is a group
// of its own. The zero Query searches for nothing.
type Query struct {
	Groups [][]Term
}

// IsZero reports whether q holds no term: no text search.
func (q Query) IsZero() bool { return len(q.Groups) == 0 }

// Parse reads text. A quote without its pair is ignored, OR at either end
// or next to another OR is the word "or", a lone "-" or "*" is ignored,
// and punctuation inside a word splits it into a phrase ("co-op" is the
// phrase "co op"). It returns an *Error for a text longer than MaxLength
// characters or with more than MaxTerms terms, for one with only excluded
// terms, and for a text that is not blank but holds no word. Blank text
// is the zero Query.
func Parse(text string) (Query, error) {
	if utf8.RuneCountInString(text) > MaxLength {
		return Query{}, &Error{fmt.Sprintf("The search is longer than %d characters: shorten it", MaxLength)}
	}
	text = strings.ToValidUTF8(text, " ")
	toks := tokenize(text)
	var q Query
	terms, positive := 0, 0
	for i := 0; i < len(toks); i++ {
		t, ok := toks[i].term()
		if !ok {
			continue
		}
		group := []Term{t}
		// term OR term OR term: the alternatives of one group.
		for !t.Exclude && i+2 < len(toks) && toks[i+1].isOr() {
			next, ok := toks[i+2].term()
			if !ok || next.Exclude {
				break
			}
			group = append(group, next)
			i += 2
		}
		terms += len(group)
		if !t.Exclude {
			positive++
		}
		q.Groups = append(q.Groups, group)
	}
	switch {
	case terms > MaxTerms:
		return Query{}, &Error{fmt.Sprintf("The search has more than %d words: use fewer", MaxTerms)}
	case terms == 0 && strings.TrimSpace(text) != "":
		return Query{}, &Error{"The search has no word to look for: use letters or digits"}
	case terms > 0 && positive == 0:
		return Query{}, &Error{"The search needs at least one word that is not excluded with -"}
	}
	return q, nil
}

// token is one piece of the text: a phrase in quotes, or a run without
// spaces.
type token struct {
	text   string
	quoted bool
}

func (t token) isOr() bool { return !t.quoted && t.text == "OR" }

// term reads the token as a term; false when it holds no word.
func (t token) term() (Term, bool) {
	s := t.text
	var out Term
	if strings.HasPrefix(s, "-") {
		out.Exclude = true
		s = strings.TrimLeft(s, "-")
	}
	if strings.HasSuffix(s, "*") {
		out.Prefix = true
		s = strings.TrimRight(s, "*")
	}
	out.Words = words(s)
	if len(out.Words) == 0 {
		return Term{}, false
	}
	// A prefix is of the last word; inside a word, punctuation splits.
	if out.Prefix && !endsInWordChar(s) {
		out.Prefix = false
	}
	return out, true
}

// tokenize splits text at spaces, keeping "quoted phrases" (with a - or a
// * just outside the quotes) as one token. A quote without its pair, or
// inside a word, is a space.
func tokenize(text string) []token {
	var out []token
	for {
		text = strings.TrimLeftFunc(text, unicode.IsSpace)
		if text == "" {
			return out
		}
		dashes := len(text) - len(strings.TrimLeft(text, "-"))
		if rest := text[dashes:]; strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				text = text[:dashes] + " " + rest[1:]
				continue
			}
			phrase, after := rest[1:1+end], rest[2+end:]
			star := ""
			if strings.HasPrefix(after, "*") {
				star, after = "*", strings.TrimLeft(after, "*")
			}
			out = append(out, token{text: text[:dashes] + phrase + star, quoted: true})
			text = after
			continue
		}
		sp := strings.IndexFunc(text, unicode.IsSpace)
		if sp < 0 {
			sp = len(text)
		}
		out = append(out, token{text: strings.ReplaceAll(text[:sp], `"`, " ")})
		text = text[sp:]
	}
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// words are the lower-cased runs of letters and digits of s (a mark only
// inside a run).
func words(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) }) {
		f = strings.TrimLeftFunc(f, func(r rune) bool { return unicode.Is(unicode.Mn, r) })
		if f != "" {
			out = append(out, strings.ToLower(f))
		}
	}
	return out
}

func endsInWordChar(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r != utf8.RuneError && isWordRune(r)
}
