package ftsquery

import "strings"

// FTS5 writes q as an SQLite FTS5 MATCH expression: each word a string,
// AND between groups, OR inside one, the excluded terms after NOT. The
// zero Query writes "".
func (q Query) FTS5() string {
	var pos, neg []string
	for _, g := range q.Groups {
		alts := make([]string, 0, len(g))
		for _, t := range g {
			s := `"` + strings.Join(t.Words, " ") + `"`
			if t.Prefix {
				s += " *"
			}
			alts = append(alts, s)
		}
		s := strings.Join(alts, " OR ")
		if len(alts) > 1 {
			s = "(" + s + ")"
		}
		if g[0].Exclude {
			neg = append(neg, s)
		} else {
			pos = append(pos, s)
		}
	}
	if len(pos) == 0 {
		return ""
	}
	out := "(" + strings.Join(pos, " AND ") + ")"
	for _, n := range neg {
		out += " NOT " + n
	}
	return out
}

// TSQuery writes q for PostgreSQL's to_tsquery: each word quoted, & between
// groups, | inside one, ! before an excluded term, <-> inside a phrase and
// :* after a prefix. The zero Query writes "".
func (q Query) TSQuery() string {
	groups := make([]string, 0, len(q.Groups))
	for _, g := range q.Groups {
		alts := make([]string, 0, len(g))
		for _, t := range g {
			ws := make([]string, len(t.Words))
			for i, w := range t.Words {
				ws[i] = "'" + w + "'"
			}
			if t.Prefix {
				ws[len(ws)-1] += ":*"
			}
			s := strings.Join(ws, " <-> ")
			if len(ws) > 1 {
				s = "(" + s + ")"
			}
			if t.Exclude {
				s = "!" + s
			}
			alts = append(alts, s)
		}
		s := strings.Join(alts, " | ")
		if len(alts) > 1 {
			s = "(" + s + ")"
		}
		groups = append(groups, s)
	}
	return strings.Join(groups, " & ")
}

// Highlight is the query a snippet marks: at most max distinct terms that
// q looks for (never the excluded ones), any one of them. A snippet costs
// in proportion to the matches of every term in the text squared, so a
// query repeating a word many times over a long text would cost seconds;
// this bounds it. The zero Query when q looks for nothing.
func (q Query) Highlight(max int) Query {
	seen := map[string]bool{}
	var alts []Term
	for _, g := range q.Groups {
		for _, t := range g {
			key := strings.Join(t.Words, " ")
			if t.Prefix {
				key += "*"
			}
			if t.Exclude || seen[key] || len(alts) >= max {
				continue
			}
			seen[key] = true
			alts = append(alts, t)
		}
	}
	if len(alts) == 0 {
		return Query{}
	}
	return Query{Groups: [][]Term{alts}}
}
