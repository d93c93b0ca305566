package mastoapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
)

// bind fills dst, a pointer to a struct, from a request's parameters as
// Mastodon clients send them: the query string, then the body — JSON, a
// form, multipart, or nothing — whose values win. A field takes the
// parameter its json tag names, sent as `name` or `name[]`: a string, a
// bool (true, 1, True, on, yes; false, 0, off, no or empty), an integer,
// a slice of strings or integers (each `id[]=` one element), a pointer to
// one of these (nil when the parameter is absent), or anything else as
// its JSON. It returns Invalid for a malformed body, Unsupported for a
// body of another media type, and Unprocessable naming each parameter
// that does not fit its field.
func bind(c echo.Context, dst any) error {
	params, err := parameters(c.Request())
	if err != nil {
		return err
	}
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return errors.New("mastoapi: bind needs a pointer to a struct")
	}
	bad := map[string]string{}
	v = v.Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		if vs := params[name]; len(vs) > 0 {
			if err := setField(v.Field(i), vs); err != nil {
				bad[name] = err.Error()
			}
		}
	}
	if len(bad) > 0 {
		return apperr.InvalidFields(bad)
	}
	return nil
}

// parameters are a request's query parameters and body parameters
// together, the body's replacing the query's of the same name; a name's
// `[]` suffix is dropped.
func parameters(r *http.Request) (url.Values, error) {
	params := url.Values{}
	for k, vs := range r.URL.Query() {
		params[strings.TrimSuffix(k, "[]")] = vs
	}
	body, err := bodyParameters(r)
	if err != nil {
		return nil, err
	}
	for k, vs := range body {
		params[strings.TrimSuffix(k, "[]")] = vs
	}
	return params, nil
}

// bodyParameters are the parameters of r's body, by its Content-Type.
func bodyParameters(r *http.Request) (url.Values, error) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, request.MaxBody+1))
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, err, "the request body could not be read")
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil
	}
	if len(raw) > request.MaxBody {
		return nil, apperr.Errorf(apperr.TooLarge, "the request body is larger than 1 MiB")
	}
	r.Body = io.NopCloser(bytes.NewReader(raw))
	mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return jsonParameters(raw)
	case mt == "application/x-www-form-urlencoded":
		vs, err := url.ParseQuery(string(raw))
		if err != nil {
			return nil, apperr.Wrap(apperr.Invalid, err, "the form body is malformed")
		}
		return vs, nil
	case mt == "multipart/form-data":
		if err := r.ParseMultipartForm(request.MaxBody); err != nil {
			return nil, apperr.Wrap(apperr.Invalid, err, "the multipart body is malformed")
		}
		return r.MultipartForm.Value, nil
	}
	return nil, apperr.Errorf(apperr.Unsupported, "a body must be JSON, a form or multipart, not %q", mt)
}

// jsonParameters are the members of a JSON object as parameters: scalars
// as their text, arrays as one value per element, objects as their JSON.
func jsonParameters(raw []byte) (url.Values, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, apperr.Errorf(apperr.Invalid, "the body is not a JSON object")
	}
	vs := url.Values{}
	for k, v := range obj {
		if arr, ok := v.([]any); ok {
			vs[k] = []string{}
			for _, e := range arr {
				vs[k] = append(vs[k], jsonText(e))
			}
		} else if v != nil {
			vs[k] = []string{jsonText(v)}
		}
	}
	return vs, nil
}

// jsonText is a JSON value as a parameter's text.
func jsonText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// setField sets f from a parameter's values.
func setField(f reflect.Value, vs []string) error {
	switch f.Kind() {
	case reflect.Pointer:
		p := reflect.New(f.Type().Elem())
		if err := setField(p.Elem(), vs); err != nil {
			return err
		}
		f.Set(p)
		return nil
	case reflect.Slice:
		s := reflect.MakeSlice(f.Type(), len(vs), len(vs))
		for i, v := range vs {
			if err := setScalar(s.Index(i), v); err != nil {
				return err
			}
		}
		f.Set(s)
		return nil
	}
	return setScalar(f, vs[len(vs)-1])
}

// setScalar sets f from one value.
func setScalar(f reflect.Value, v string) error {
	switch f.Kind() {
	case reflect.String:
		f.SetString(v)
	case reflect.Bool:
		b, err := parseBool(v)
		if err != nil {
			return err
		}
		f.SetBool(b)
	case reflect.Int, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, f.Type().Bits())
		if err != nil {
			return errors.New("must be an integer")
		}
		f.SetInt(n)
	default:
		if err := json.Unmarshal([]byte(v), f.Addr().Interface()); err != nil {
			return errors.New("is not of the expected form")
		}
	}
	return nil
}

// parseBool reads a boolean as Mastodon (Rails) does.
func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1", "t", "on", "yes":
		return true, nil
	case "false", "0", "f", "off", "no", "":
		return false, nil
	}
	return false, errors.New("must be true or false")
}
