package api

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzHasNUL: for every valid JSON document, hasNUL agrees with decoding it
// and looking for a NUL in its strings and keys.
func FuzzHasNUL(f *testing.F) {
	for _, s := range []string{`{"a":"b"}`, `"\u0000"`, `"\\u0000"`, `"\\\u0000"`, `{"\u0000":1}`, `["x\\","\u0000"]`, `"\u00000"`, "\"\x00\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var v any
		if json.Unmarshal(body, &v) != nil {
			return
		}
		if got, want := hasNUL(body), decodedNUL(v); got != want {
			t.Fatalf("hasNUL(%q) = %v, want %v", body, got, want)
		}
	})
}

func decodedNUL(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.IndexByte(v, 0) >= 0
	case []any:
		for _, e := range v {
			if decodedNUL(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range v {
			if strings.IndexByte(k, 0) >= 0 || decodedNUL(e) {
				return true
			}
		}
	}
	return false
}
