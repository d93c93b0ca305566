// Package convert reads the objects peers send into the rows the node
// stores: case studies (ToCaseStudy) and notes (ToNote), sanitised and
// cut to the field limits. It is the one home of those limits (MaxTitle,
// MaxSummary, …, ValidDecimal, ValidTag): a remote case study is cut to
// them, and package service checks a local one against them. It knows
// nothing of HTTP.
package convert

import (
	"regexp"
	"unicode/utf8"
)

// Limits on a case study's fields, local or remote, in characters (runes)
// or items.
const (
	// MaxTitle is the longest title.
	MaxTitle = 200
	// MaxSummary is the longest summary (and a reply's content warning).
	MaxSummary = 500
	// MaxBody is the longest Markdown body and the most text of its HTML.
	MaxBody = 100_000
	// MaxShortText is the longest short field: organisation type, service
	// area, region, stage, ownership model, savings period, contact name
	// and role, attachment name.
	MaxShortText = 200
	// MaxListItems is the most outcomes, or lessons, a case study has.
	MaxListItems = 50
	// MaxListItem is the longest outcome or lesson.
	MaxListItem = 1_000
	// MaxTags is the most tags a case study has.
	MaxTags = 20
	// MaxTagLength is the longest tag.
	MaxTagLength = 64
	// MaxAttachments is the most attachments a case study has.
	MaxAttachments = 20
)

var (
	// decimalPattern is a savings amount: a decimal number, at most four
	// places after the point.
	decimalPattern = regexp.MustCompile(`^[0-9]{1,15}(\.[0-9]{1,4})?$`)
	// tagPattern is a tag without '#': letters, digits and underscores.
	tagPattern = regexp.MustCompile(`^[\p{L}\p{N}_]+$`)
)

// ValidDecimal reports whether s is a savings amount as stored: a
// decimal number of at most 15 digits before the point and at most four
// after it, without sign or exponent.
func ValidDecimal(s string) bool { return decimalPattern.MatchString(s) }

// ValidTag reports whether t, without '#', is a tag as stored: letters,
// digits and underscores, at most MaxTagLength of them.
func ValidTag(t string) bool {
	return tagPattern.MatchString(t) && utf8.RuneCountInString(t) <= MaxTagLength
}
