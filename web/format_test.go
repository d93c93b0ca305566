package web

import "testing"

func TestMoney(t *testing.T) {
	tests := []struct{ amount, currency, period, want string }{
		{"1200000", "GBP", "year", "£1,200,000 a year"},
		{"999", "gbp", "month", "£999 a month"},
		{"5000.5", "CHF", "one-off", "CHF 5,000.50 one-off"},
		{"1000.00", "EUR", "", "€1,000"},
		{"-250", "USD", "fortnight", "$-250 (fortnight)"},
	}
	for _, tt := range tests {
		if got := Money(tt.amount, tt.currency, tt.period); got != tt.want {
			t.Errorf("Money(%q, %q, %q) = %q, want %q", tt.amount, tt.currency, tt.period, got, tt.want)
		}
	}
}

func TestSentence(t *testing.T) {
	for in, want := range map[string]string{"adult social care": "Adult social care", "": "", "école": "École", "North West": "North West"} {
		if got := Sentence(in); got != want {
			t.Errorf("Sentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBodyShiftsHeadings(t *testing.T) {
	for in, want := range map[string]string{
		`<h1 id="a">A</h1><h2>B</h2><h6>F</h6><p>x</p>`: `<h2 id="a">A</h2><h3>B</h3><h6>F</h6><p>x</p>`,
		// The top level is h2, whatever the fragment starts at.
		`<h2>B</h2><p>x</p><h3>C</h3>`:              `<h2>B</h2><p>x</p><h3>C</h3>`,
		`<div><h4>D</h4></div><h3>C</h3><h6>F</h6>`: `<div><h3>D</h3></div><h2>C</h2><h5>F</h5>`,
		`<p>no headings</p>`:                        `<p>no headings</p>`,
	} {
		if got := string(Body(in)); got != want {
			t.Errorf("Body(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPagesParse(t *testing.T) {
	p, err := NewPages()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"home.html", "casestudy.html", "received.html", "tag.html", "error.html"} {
		if _, ok := p.pages[name]; !ok {
			t.Errorf("no page %s", name)
		}
	}
}

func TestBodyBalancesOldFragments(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<a href="https://evil.example/login"><details><summary>Read more</summary><table><tr><td>`,
			`<a href="https://evil.example/login"><details><summary>Read more</summary><table><tbody><tr><td></td></tr></tbody></table></details></a>`},
		{`<p>x</p></div></div></main>`, `<p>x</p>`},
		{`<ul><li>one`, `<ul><li>one</li></ul>`},
		{`<p>a &lt;b&gt; &amp; c</p>`, `<p>a &lt;b&gt; &amp; c</p>`},
	}
	for _, tt := range tests {
		if got := string(Body(tt.in)); got != tt.want {
			t.Errorf("Body(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSnippet(t *testing.T) {
	for in, want := range map[string]string{
		"the <mark>mutual</mark> &amp; its staff":       "the <mark>mutual</mark> &amp; its staff",
		"&lt;script&gt;alert(1)&lt;/script&gt; <mark>x": "&lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark>",
		"<b>raw</b> <mark onclick=\"x\">y</mark>":       "&lt;b&gt;raw&lt;/b&gt; &lt;mark onclick=&#34;x&#34;&gt;y</mark>",
		"": "",
	} {
		if got := string(Snippet(in)); got != want {
			t.Errorf("Snippet(%q) = %q, want %q", in, got, want)
		}
	}
}
