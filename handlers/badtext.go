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

// clip shortens a client's text for an error message.
func clip(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return fmt.Sprintf("%q", s)
}
