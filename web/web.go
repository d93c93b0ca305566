// Package web holds the node's HTML templates and static assets, embedded in
// the binary, and the functions the templates use.
package web

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Pages renders the HTML pages.
type Pages struct {
	pages map[string]*template.Template
	// partials are the shared templates alone, for Fragment.
	partials *template.Template
}

var funcs = template.FuncMap{
	"date":       func(t any) string { return timeOf(t).Format("2 January 2006") },
	"iso":        func(t any) string { return timeOf(t).Format(time.RFC3339) },
	"body":       Body,
	"snippet":    Snippet,
	"join":       strings.Join,
	"add":        func(a, b int) int { return a + b },
	"lower":      strings.ToLower,
	"sentence":   Sentence,
	"money":      func(amount any, currency, period string) string { return Money(fmt.Sprint(amount), currency, period) },
	"isImage":    func(mediaType string) bool { return strings.HasPrefix(mediaType, "image/") },
	"mediaLabel": MediaLabel,
	"datetime":   func(t any) string { return timeOf(t).Format("2 January 2006, 15:04 UTC") },
	"field":      field,
	"choice":     choice,
	"list":       list,
}

// Field is what the admin form's partials ("textfield", "choice", "list")
// show of one field: its form name, its id (the name, dots made hyphens),
// label, hint, value (Other: the free text beside a select; Options: the
// select's; Items: a list's rows) and the form's errors by field id.
type Field struct {
	Name, ID, Label, Hint, Value, Other string
	Options, Items                      []string
	E                                   map[string]string
}

func field(name, label, hint, value string, errs map[string]string) Field {
	return Field{Name: name, ID: strings.ReplaceAll(name, ".", "-"), Label: label, Hint: hint, Value: value, E: errs}
}

func choice(name, label string, options []string, value, other string, errs map[string]string) Field {
	f := field(name, label, "", value, errs)
	f.Options, f.Other = options, other
	return f
}

func list(name, label, hint string, items []string, errs map[string]string) Field {
	f := field(name, label, hint, "", errs)
	f.Items = items
	return f
}

// timeOf reads a time.Time or an RFC 3339 string (the form API views carry)
// as UTC; anything else is the zero time.
func timeOf(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t.UTC()
	case string:
		if p, err := time.Parse(time.RFC3339, t); err == nil {
			return p.UTC()
		}
	}
	return time.Time{}
}

// NewPages parses every page (templates/NAME.html) with the shared layout
// and the partials (templates/_NAME.html). It returns an error if a
// template does not parse.
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
	partials, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, shared...)
	if err != nil {
		return nil, fmt.Errorf("web: parse the partials: %w", err)
	}
	p := &Pages{pages: map[string]*template.Template{}, partials: partials}
	for _, n := range names {
		base := strings.TrimPrefix(n, "templates/")
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, append(shared, n)...)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", n, err)
		}
		p.pages[base] = t
	}
	return p, nil
}

// Render writes the page name with data. It returns an error if there is
// no such page or the template fails.
func (p *Pages) Render(w io.Writer, name string, data any) error {
	t, ok := p.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	return t.Execute(w, data)
}

// Fragment writes the partial template name (a {{define}} of a
// templates/_NAME.html file, such as "feed-item") with data, without the
// layout. It returns an error if there is no such template or it fails.
func (p *Pages) Fragment(w io.Writer, name string, data any) error {
	return p.partials.ExecuteTemplate(w, name, data)
}

// StaticHandler serves the static assets, cached for a day.
func StaticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.FileServer(http.FS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}
