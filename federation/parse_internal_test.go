package federation

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/internal/apperr"
)

// TestParseErrorStatuses: the parser's refusals answer 413 and 400 with
// the parser's message; other errors pass through.
func TestParseErrorStatuses(t *testing.T) {
	big := `{"id":"https://e.example/1","type":"Note","content":"` + strings.Repeat("x", ap.MaxActivitySize) + `"}`
	cases := []struct {
		name, body string
		status     int
		reason     string
	}{
		{"not JSON", `{"id":`, http.StatusBadRequest, "the document is not JSON"},
		{"no id", `{"type":"Note"}`, http.StatusBadRequest, "the document has no id"},
		{"too big", big, http.StatusRequestEntityTooLarge, "the document is larger than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseActivity([]byte(tc.body))
			var fe *apperr.Error
			if !errors.As(err, &fe) || fe.Kind.Status() != tc.status || !strings.HasPrefix(fe.Message, tc.reason) {
				t.Errorf("err = %v, want %d %q", err, tc.status, tc.reason)
			}
			if _, err := parseObject([]byte(tc.body)); !errors.As(err, &fe) || fe.Kind.Status() != tc.status {
				t.Errorf("parseObject: err = %v, want %d", err, tc.status)
			}
		})
	}
	other := errors.New("other")
	if parseError(other) != other || parseError(nil) != nil {
		t.Error("parseError changed an error that is not the parser's")
	}
}
