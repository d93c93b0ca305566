package oauth

import (
	"encoding/json"
	"io"
	"mime"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/internal/apperr"
)

// params reads a body as clients send it, JSON, a form or multipart, into
// url.Values: a JSON array becomes several values, a JSON scalar one;
// query parameters count too, the body's first. An empty body has no
// values. It returns an Invalid error for a body that does not parse.
func params(c echo.Context) (url.Values, error) {
	ct, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if ct != echo.MIMEApplicationJSON {
		form, err := c.FormParams()
		if err != nil {
			return nil, apperr.Wrap(apperr.Invalid, err, "the body is not a form")
		}
		for k, vs := range c.QueryParams() {
			if _, ok := form[k]; !ok {
				form[k] = vs
			}
		}
		return form, nil
	}
	raw, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, err
	}
	var body map[string]any
	if len(strings.TrimSpace(string(raw))) > 0 {
		if err := json.Unmarshal(raw, &body); err != nil {
			return nil, apperr.Wrap(apperr.Invalid, err, "the body is not a JSON object")
		}
	}
	out := url.Values{}
	for k, v := range body {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				if s, ok := scalar(e); ok {
					out.Add(k, s)
				}
			}
		default:
			if s, ok := scalar(v); ok {
				out.Set(k, s)
			}
		}
	}
	for k, vs := range c.QueryParams() {
		if _, ok := out[k]; !ok {
			out[k] = vs
		}
	}
	return out, nil
}

// scalar is a JSON string, number or boolean as text.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case float64, bool:
		b, _ := json.Marshal(v)
		return string(b), true
	}
	return "", false
}

// values are the values of name, or of name[] as Rails writes arrays.
func values(p url.Values, name string) []string {
	return append(append([]string(nil), p[name]...), p[name+"[]"]...)
}
