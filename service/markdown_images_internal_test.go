package service

import (
	"strings"
	"testing"
)

// TestRenderMarkdownKeepsOwnImages: our own Markdown keeps its images,
// never an id.
func TestRenderMarkdownKeepsOwnImages(t *testing.T) {
	local, err := renderMarkdown("![logo](/static/icon.png)\n\n<p id=\"main-content\">x</p>")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(local, `<img src="/static/icon.png" alt="logo"/>`) || strings.Contains(local, "id=") {
		t.Errorf("RenderMarkdown kept no image of our own, or an id: %q", local)
	}
}
