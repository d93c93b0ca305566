package mastoapi

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/internal/apperr"
)

// params is a body the way the endpoints to come will take one.
type params struct {
	Status    string         `json:"status"`
	Sensitive bool           `json:"sensitive"`
	Resolve   *bool          `json:"resolve"`
	Limit     int            `json:"limit"`
	IDs       []string       `json:"id"`
	MediaIDs  []int64        `json:"media_ids"`
	Reply     *string        `json:"in_reply_to_id"`
	Poll      map[string]any `json:"poll"`
}

// multipartBody writes fields (one value each, names as given) as a
// multipart body; it returns the body and its Content-Type.
func multipartBody(t *testing.T, fields [][2]string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String(), w.FormDataContentType()
}

func ptr[T any](v T) *T { return &v }

func TestBind(t *testing.T) {
	mp, mpType := multipartBody(t, [][2]string{{"status", "hello"}, {"sensitive", "True"}, {"media_ids[]", "1"}, {"media_ids[]", "2"}})
	tests := []struct {
		name, target, ctype, body string
		want                      params
	}{
		{"empty", "/", "", "", params{}},
		{"empty JSON", "/", "application/json", "", params{}},
		{"empty form", "/", "application/x-www-form-urlencoded", "", params{}},
		{"JSON", "/", "application/json; charset=utf-8",
			`{"status":"hi","sensitive":true,"resolve":false,"limit":40,"id":["1","2"],"media_ids":[3],"in_reply_to_id":"7","poll":{"options":["a","b"],"expires_in":300}}`,
			params{Status: "hi", Sensitive: true, Resolve: ptr(false), Limit: 40, IDs: []string{"1", "2"}, MediaIDs: []int64{3},
				Reply: ptr("7"), Poll: map[string]any{"options": []any{"a", "b"}, "expires_in": 300.0}}},
		{"JSON strings", "/", "application/json", `{"sensitive":"1","limit":"5","resolve":"True","in_reply_to_id":null}`,
			params{Sensitive: true, Limit: 5, Resolve: ptr(true)}},
		{"JSON numbers as IDs", "/", "application/json", `{"id":[12345678901234567,2]}`,
			params{IDs: []string{"12345678901234567", "2"}}},
		{"form", "/", "application/x-www-form-urlencoded", "status=caf%C3%A9&sensitive=1&id[]=1&id[]=2&resolve=true",
			params{Status: "café", Sensitive: true, IDs: []string{"1", "2"}, Resolve: ptr(true)}},
		{"form without brackets", "/", "application/x-www-form-urlencoded", "id=1&id=2&sensitive=false",
			params{IDs: []string{"1", "2"}}},
		{"multipart", "/", mpType, mp, params{Status: "hello", Sensitive: true, MediaIDs: []int64{1, 2}}},
		{"query", "/?id[]=4&id[]=5&resolve=True&limit=2", "", "", params{IDs: []string{"4", "5"}, Resolve: ptr(true), Limit: 2}},
		{"body over query", "/?status=query&limit=3", "application/json", `{"status":"body"}`, params{Status: "body", Limit: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, tt.target, strings.NewReader(tt.body))
			if tt.ctype != "" {
				req.Header.Set(echo.HeaderContentType, tt.ctype)
			}
			c := echo.New().NewContext(req, httptest.NewRecorder())
			var got params
			if err := bind(c, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestBindRefuses(t *testing.T) {
	tests := []struct {
		name, ctype, body string
		kind              apperr.Kind
		field             string
	}{
		{"bad JSON", "application/json", `{"status":`, apperr.Invalid, ""},
		{"JSON array", "application/json", `["status"]`, apperr.Invalid, ""},
		{"another media type", "text/plain", "status=hi", apperr.Unsupported, ""},
		{"no media type", "", "status=hi", apperr.Unsupported, ""},
		{"bad boolean", "application/x-www-form-urlencoded", "sensitive=maybe", apperr.Unprocessable, "sensitive"},
		{"bad integer", "application/json", `{"limit":"many"}`, apperr.Unprocessable, "limit"},
		{"bad integer in a list", "application/json", `{"media_ids":[1,"x"]}`, apperr.Unprocessable, "media_ids"},
		{"bad object", "application/json", `{"poll":"yes"}`, apperr.Unprocessable, "poll"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.body))
			if tt.ctype != "" {
				req.Header.Set(echo.HeaderContentType, tt.ctype)
			}
			var got params
			err := bind(echo.New().NewContext(req, httptest.NewRecorder()), &got)
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Kind != tt.kind {
				t.Fatalf("err = %v, want kind %v", err, tt.kind)
			}
			if tt.field != "" && ae.Fields[tt.field] == "" {
				t.Errorf("fields %v do not name %s", ae.Fields, tt.field)
			}
		})
	}
}
