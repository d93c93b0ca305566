package convert

import (
	"strings"
	"unicode"
)

// HashtagName turns a service area into a hashtag without '#':
// "adult social care" becomes "AdultSocialCare".
func HashtagName(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if upper {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			upper = false
		case r == '\'' || r == '’':
		default:
			upper = true
		}
	}
	return b.String()
}
