package service

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/pollen-coop/pollen/federation/sanitize"
)

// markdown renders case study bodies: GitHub-flavoured Markdown without raw
// HTML (goldmark drops it unless told otherwise).
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))

// renderMarkdown turns Markdown into sanitised, well-formed HTML. Our own
// case studies may show images. It returns goldmark's error.
func renderMarkdown(src string) (string, error) {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("service: render markdown: %w", err)
	}
	return sanitize.Own(buf.String()), nil
}
