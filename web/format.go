package web

import (
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"
)

// headingShift moves every heading of a case study's body one level down,
// so that the page's title stays its only h1.
var headingShift = strings.NewReplacer(
	"<h1", "<h2", "</h1>", "</h2>",
	"<h2", "<h3", "</h2>", "</h3>",
	"<h3", "<h4", "</h3>", "</h4>",
	"<h4", "<h5", "</h4>", "</h5>",
	"<h5", "<h6", "</h5>", "</h6>",
)

// Body marks a case study's content as safe HTML, its headings moved one
// level down. The content must already be sanitised (federation.SanitizeHTML
// does it before anything is stored).
func Body(sanitised string) template.HTML {
	return template.HTML(headingShift.Replace(sanitised)) // #nosec: sanitised before storage
}

// Sentence returns s with its first letter in upper case, as GOV.UK writes
// labels: "adult social care" becomes "Adult social care".
func Sentence(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

var currencySymbols = map[string]string{"GBP": "£", "EUR": "€", "USD": "$"}

var periodWords = map[string]string{
	"week": "a week", "month": "a month", "quarter": "a quarter", "year": "a year", "one-off": "one-off",
}

// Money writes an amount of savings for people: "£120,000 a year",
// "CHF 5,000.50 one-off".
func Money(amount, currency, period string) string {
	whole, frac, _ := strings.Cut(strings.TrimSpace(amount), ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	num := b.String()
	if strings.Trim(frac, "0") != "" {
		if len(frac) == 1 {
			frac += "0"
		}
		num += "." + frac
	}
	if neg {
		num = "-" + num
	}
	code := strings.ToUpper(currency)
	out := code + " " + num
	if sym, ok := currencySymbols[code]; ok {
		out = sym + num
	}
	if p := periodWords[period]; p != "" {
		out += " " + p
	} else if period != "" {
		out += " (" + period + ")"
	}
	return out
}

// MediaLabel names a media type for people: "PDF", "Word document".
func MediaLabel(mediaType string) string {
	switch mediaType {
	case "application/pdf":
		return "PDF"
	case "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/msword":
		return "Word document"
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel":
		return "spreadsheet"
	case "text/csv":
		return "CSV"
	case "text/html":
		return "web page"
	case "":
		return "link"
	}
	return mediaType
}
