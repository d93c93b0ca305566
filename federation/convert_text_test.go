package federation_test

import (
	"testing"

	"github.com/pollen-coop/pollen/models"
)

// TestArticleSummaryEscaped: a plain summary is HTML-escaped as the
// Article's summary (HTML in ActivityStreams), so what was typed as text
// never becomes markup on a peer; the name is plain text and goes as typed.
func TestArticleSummaryEscaped(t *testing.T) {
	c := models.CaseStudy{IRI: "https://n.example/case-studies/x", Title: `<img src=x onerror=alert(1)>`,
		Summary: `&lt;img src=x onerror=alert(1)&gt; & "q"`}
	a := remoteService().ToArticle(c, remoteAuthor)
	if want := `&amp;lt;img src=x onerror=alert(1)&amp;gt; &amp; &#34;q&#34;`; a.Summary != want {
		t.Errorf("Article summary = %q, want %q", a.Summary, want)
	}
	if a.Name != c.Title {
		t.Errorf("Article name = %q, want the title as typed", a.Name)
	}
}
