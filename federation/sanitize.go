package federation

import "github.com/pollen-coop/pollen/federation/sanitize"

// SanitizeHTML removes from remote HTML everything that could run script,
// load remote content (images included) or break the page: see
// sanitize.HTML, which it is.
func SanitizeHTML(s string) string { return sanitize.HTML(s) }

// SanitizeHTMLText is SanitizeHTML keeping at most maxText characters of
// text (0: no limit): see sanitize.HTMLText, which it is.
func SanitizeHTMLText(s string, maxText int) string { return sanitize.HTMLText(s, maxText) }

// PlainText reads an HTML value as plain text: see sanitize.PlainText,
// which it is.
func PlainText(s string) string { return sanitize.PlainText(s) }

// CleanText is a plain-text value as it is stored: see sanitize.CleanText,
// which it is.
func CleanText(s string) string { return sanitize.CleanText(s) }

// cleanControls is sanitize.Controls.
func cleanControls(s string, keepLines bool) string { return sanitize.Controls(s, keepLines) }
