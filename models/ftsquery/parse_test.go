package ftsquery

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in, fts5, tsquery string
	}{
		{"blank", "  ", "", ""},
		{"words", "Mutual Libraries", `("mutual" AND "libraries")`, `'mutual' & 'libraries'`},
		{"phrase", `"spin out" library`, `("spin out" AND "library")`, `('spin' <-> 'out') & 'library'`},
		{"or", "library OR museum", `(("library" OR "museum"))`, `('library' | 'museum')`},
		{"exclude", "library -museum", `("library") NOT "museum"`, `'library' & !'museum'`},
		{"excluded phrase", `library -"spin out"`, `("library") NOT "spin out"`, `'library' & !('spin' <-> 'out')`},
		{"prefix", "mutual*", `("mutual" *)`, `'mutual':*`},
		{"phrase prefix", `"spin ou"*`, `("spin ou" *)`, `('spin' <-> 'ou':*)`},
		{"accents kept for the database", "école", `("école")`, `'école'`},
		{"punctuation splits a word", "co-op's", `("co op s")`, `('co' <-> 'op' <-> 's')`},
		{"unbalanced quote", `"spin out`, `("spin" AND "out")`, `'spin' & 'out'`},
		{"or at the ends is a word", "OR library OR", `("or" AND "library" AND "or")`, `'or' & 'library' & 'or'`},
		{"lower-case or is a word", "a or b", `("a" AND "or" AND "b")`, `'a' & 'or' & 'b'`},
		{"sql and fts syntax are words", `x'); DROP TABLE t; -- NEAR(a b) ^c :*`,
			`("x" AND "drop" AND "table" AND "t" AND "near a" AND "b" AND "c")`,
			`'x' & 'drop' & 'table' & 't' & ('near' <-> 'a') & 'b' & 'c'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got := q.FTS5(); got != tt.fts5 {
				t.Errorf("FTS5 = %s, want %s", got, tt.fts5)
			}
			if got := q.TSQuery(); got != tt.tsquery {
				t.Errorf("TSQuery = %s, want %s", got, tt.tsquery)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("a", MaxLength+1),
		strings.Repeat("word ", 2000),
		strings.Repeat("w ", MaxTerms+1),
		"-library",
		`-"spin out" -museum`,
		`"" - * ***`,
		"!!! ???",
	} {
		_, err := Parse(in)
		var pe *Error
		if !errors.As(err, &pe) || pe.Message == "" {
			t.Errorf("Parse(%.40q) = %v, want an *Error", in, err)
		}
	}
}

// FuzzParse checks that Parse never panics, and that what it accepts
// writes expressions of words, quotes and the operators only.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"mutual aid", `"spin out" OR museum -library mutu*`, `"`, `-"`, `a"b c"d`, "OR", "-", "é\u0301cole", "\xff\xfe", `"x"*"y"*`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			return
		}
		for _, out := range []string{q.FTS5(), q.TSQuery()} {
			if !utf8.ValidString(out) {
				t.Fatalf("Parse(%q) writes invalid UTF-8 %q", s, out)
			}
			if strings.ContainsAny(out, "\\;\x00") {
				t.Fatalf("Parse(%q) writes %q", s, out)
			}
		}
		if strings.Count(q.FTS5(), `"`)%2 != 0 || strings.Count(q.TSQuery(), "'")%2 != 0 {
			t.Fatalf("Parse(%q) writes unbalanced quotes: %s / %s", s, q.FTS5(), q.TSQuery())
		}
		if !q.IsZero() && (q.FTS5() == "" || q.TSQuery() == "") {
			t.Fatalf("Parse(%q) gives a query that writes nothing", s)
		}
	})
}
