package ftsquery

import "testing"

func TestHighlight(t *testing.T) {
	for _, tc := range []struct {
		in, fts5 string
	}{
		{"library library library library library library", `("library")`},
		{`mutual "staff ownership" -council leisure* pools spa gym`, `(("mutual" OR "staff ownership" OR "leisure" * OR "pools"))`},
		{"a OR b c", `(("a" OR "b" OR "c"))`},
		{"-only", ``},
	} {
		q, err := Parse(tc.in)
		if err != nil {
			q = Query{}
		}
		if got := q.Highlight(4).FTS5(); got != tc.fts5 {
			t.Errorf("Parse(%q).Highlight(4).FTS5() = %q, want %q", tc.in, got, tc.fts5)
		}
	}
}
