package web

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strings"
	"sync"
	"sync/atomic"
)

// Pages renders the HTML pages. The layout and the partials are parsed
// once; each page's template set (a copy of them with the page) is built
// on the page's first use and kept, so that a node holds the sets of the
// pages it serves rather than of every page. One Pages serves the whole
// node: its methods are safe for concurrent use.
type Pages struct {
	// base is the layout and the partials, never executed: html/template
	// clones only a set that has not run, and every page set is a clone.
	base  *template.Template
	pages map[string]*lazySet
	// partials are the shared templates alone, for Fragment.
	partials lazySet
	// parses counts the template files' parses, for the tests.
	parses atomic.Int32
}

// lazySet is a template set built on first use.
type lazySet struct {
	once  sync.Once
	t     *template.Template
	err   error
	build func() (*template.Template, error)
}

func (l *lazySet) get() (*template.Template, error) {
	l.once.Do(func() { l.t, l.err = l.build() })
	return l.t, l.err
}

// NewPages parses the shared layout (templates/layout.html) and partials
// (templates/_NAME.html) and lists the pages (templates/NAME.html), each
// built with them on its first Render. It returns an error if the layout
// or a partial does not parse; a page that does not parse fails its
// Render (Check builds them all).
func NewPages() (*Pages, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	shared := []string{"templates/layout.html"}
	for _, n := range names {
		if strings.HasPrefix(strings.TrimPrefix(n, "templates/"), "_") {
			shared = append(shared, n)
		}
	}
	p := &Pages{pages: map[string]*lazySet{}}
	p.parses.Add(1)
	if p.base, err = template.New("layout.html").Funcs(funcs).ParseFS(templateFS, shared...); err != nil {
		return nil, fmt.Errorf("web: parse the partials: %w", err)
	}
	p.partials.build = p.base.Clone
	for _, n := range names {
		base := strings.TrimPrefix(n, "templates/")
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			continue
		}
		p.pages[base] = &lazySet{build: func() (*template.Template, error) { return p.buildPage(n) }}
	}
	return p, nil
}

// buildPage is a clone of the layout and partials with the page file
// parsed into it.
func (p *Pages) buildPage(file string) (*template.Template, error) {
	t, err := p.base.Clone()
	if err != nil {
		return nil, fmt.Errorf("web: clone the partials for %s: %w", file, err)
	}
	p.parses.Add(1)
	if t, err = t.ParseFS(templateFS, file); err != nil {
		return nil, fmt.Errorf("web: parse %s: %w", file, err)
	}
	return t, nil
}

// Render writes the page name with data. It returns an error if there is
// no such page, it does not parse, or the template fails.
func (p *Pages) Render(w io.Writer, name string, data any) error {
	l, ok := p.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	t, err := l.get()
	if err != nil {
		return err
	}
	return t.Execute(w, data)
}

// Fragment writes the partial template name (a {{define}} of a
// templates/_NAME.html file, such as "feed-item") with data, without the
// layout. It returns an error if there is no such template or it fails.
func (p *Pages) Fragment(w io.Writer, name string, data any) error {
	t, err := p.partials.get()
	if err != nil {
		return err
	}
	return t.ExecuteTemplate(w, name, data)
}

// Check builds every page's template set, without keeping them, and
// returns the first error: a page that does not parse.
func (p *Pages) Check() error {
	for name := range p.pages {
		if _, err := p.buildPage("templates/" + name); err != nil {
			return err
		}
	}
	return nil
}
