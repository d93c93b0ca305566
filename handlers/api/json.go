package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"strconv"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/internal/apperr"
)

// decodeJSON reads a JSON body strictly: one object, known fields only.
func decodeJSON(c echo.Context, dst any) error {
	r := c.Request()
	if ct := r.Header.Get(echo.HeaderContentType); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != echo.MIMEApplicationJSON {
			return apperr.Errorf(apperr.Unsupported, "the body must be application/json")
		}
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	if err := checkJSONText(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return apperr.Errorf(apperr.Invalid, "the body is not valid JSON for this request: %s", jsonReason(err))
	}
	if dec.More() {
		return apperr.Errorf(apperr.Invalid, "the body must hold one JSON object")
	}
	return nil
}

// readBody reads the whole request body, within the body limit: over it,
// the limit's 413 *echo.HTTPError; a body that cannot be read, a 400 *apperr.Error.
func readBody(c echo.Context) ([]byte, error) {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return nil, he
		}
		return nil, apperr.Errorf(apperr.Invalid, "the body could not be read")
	}
	return body, nil
}

func jsonReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "syntax error at byte " + strconv.FormatInt(se.Offset, 10)
	case errors.As(err, &te):
		return "field " + te.Field + " must be " + te.Type.String()
	case errors.Is(err, io.EOF):
		return "it is empty"
	}
	return err.Error()
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
