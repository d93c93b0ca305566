package handlers

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/internal/apperr"
)

// refuseBadText answers 400 at once to a request whose path or query holds
// a NUL or is not UTF-8: no handler, and so no database, sees such text
// (PostgreSQL cannot store either).
func refuseBadText(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := checkURLText(c.Request().URL); err != nil {
			return err
		}
		return next(c)
	}
}

// checkURLText returns a 400 *apperr.Error naming what is wrong with u's path or
// query, or nil when both are clean UTF-8 text.
func checkURLText(u *url.URL) error {
	if reason := badText(u.Path); reason != "" {
		return apperr.Errorf(apperr.Invalid, "the path %s", reason)
	}
	values, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return apperr.Errorf(apperr.Invalid, "the query string is malformed: %s", clip(err.Error()))
	}
	for name, list := range values {
		if reason := badText(name); reason != "" {
			return apperr.Errorf(apperr.Invalid, "the name of a query parameter %s", reason)
		}
		for _, v := range list {
			if reason := badText(v); reason != "" {
				return apperr.Errorf(apperr.Invalid, "the query parameter %s %s", clip(name), reason)
			}
		}
	}
	return nil
}

// badText says what is wrong with s ("holds a NUL character", "is not
// valid UTF-8"), or "" when nothing is.
func badText(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	case strings.IndexByte(s, 0) >= 0:
		return "holds a NUL character"
	}
	return ""
}

// checkJSONText returns a 400 *apperr.Error when a JSON body is not UTF-8 or
// holds a NUL, raw or escaped as \u0000: text that could not be stored.
func checkJSONText(body []byte) error {
	if !utf8.Valid(body) {
		return apperr.Errorf(apperr.Invalid, "the body is not valid UTF-8")
	}
	if hasNUL(body) {
		return apperr.Errorf(apperr.Invalid, `the body holds a NUL character (\u0000)`)
	}
	return nil
}

// hasNUL reports whether a JSON document holds a NUL: a raw zero byte, or
// \u0000 inside a string (and not an escaped backslash followed by u0000).
func hasNUL(body []byte) bool {
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case 0:
			return true
		case '\\':
			if i+5 < len(body) && body[i+1] == 'u' && string(body[i+2:i+6]) == "0000" {
				return true
			}
			i++ // skip the escaped character, so that \\u0000 is not taken for one
		}
	}
	return false
}

// clip shortens a client's text for an error message.
func clip(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return fmt.Sprintf("%q", s)
}
