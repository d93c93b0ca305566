package service

import (
	"strings"
	"testing"
)

func TestRenderMarkdownSanitises(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // must appear
		banned    []string // must not appear
	}{
		{"markdown", "# Title\n\nSome **bold** and a [link](https://example.org).",
			[]string{"<h1", "<strong>bold</strong>", `href="https://example.org"`, `rel="nofollow noreferrer noopener"`}, nil},
		{"script element", "Hello <script>alert(1)</script> world", []string{"Hello"}, []string{"<script", "alert(1)</script"}},
		{"script block", "<script>\nalert(1)\n</script>\n\nText", []string{"Text"}, []string{"<script"}},
		{"onclick", `<a href="https://example.org" onclick="steal()">x</a>`, nil, []string{"onclick", "steal()"}},
		{"onerror", `<img src="x" onerror="steal()">`, nil, []string{"onerror"}},
		{"javascript link", "[click](javascript:alert(1))", nil, []string{"javascript:"}},
		{"javascript link in HTML", `<a href="javascript:alert(1)">click</a>`, nil, []string{"javascript:"}},
		{"encoded javascript link", "[click](jAvAsCrIpT:alert(1))", nil, []string{"avascript:"}},
		{"iframe", `<iframe src="https://evil.example"></iframe>`, nil, []string{"<iframe"}},
		{"style", `<p style="background:url(x)">x</p>`, nil, []string{"style="}},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := renderMarkdown(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("RenderMarkdown(%q) = %q, lacks %q", tt.src, got, w)
				}
			}
			for _, b := range tt.banned {
				if strings.Contains(strings.ToLower(got), strings.ToLower(b)) {
					t.Errorf("RenderMarkdown(%q) = %q, keeps %q", tt.src, got, b)
				}
			}
		})
	}
}
