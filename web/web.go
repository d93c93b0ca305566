// Package web holds the node's HTML templates and static assets, embedded in
// the binary, and the functions the templates use.
package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

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
	"hasPrefix":  strings.HasPrefix,
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

// StaticHandler serves the static assets, cached for a day.
func StaticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.FileServer(http.FS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}
