package federation

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

func TestCheckOrigin(t *testing.T) {
	signer := models.Actor{IRI: "https://b.example/users/ann"}
	tests := []struct {
		name   string
		body   string
		status int // 0: allowed
	}{
		{"create of own note", `{"id":"https://b.example/a/1","type":"Create","actor":"https://b.example/users/ann","object":{"id":"https://b.example/notes/1","type":"Note","attributedTo":"https://b.example/users/ann","content":"hi"}}`, 0},
		{"follow", `{"id":"https://b.example/a/2","type":"Follow","actor":"https://b.example/users/ann","object":"https://here.example/actors/org"}`, 0},
		{"announce of another origin", `{"id":"https://b.example/a/3","type":"Announce","actor":"https://b.example/users/ann","object":"https://c.example/articles/1"}`, 0},
		{"update of self", `{"id":"https://b.example/a/4","type":"Update","actor":"https://b.example/users/ann","object":{"id":"https://b.example/users/ann","type":"Person"}}`, 0},
		{"delete by IRI", `{"id":"https://b.example/a/5","type":"Delete","actor":"https://b.example/users/ann","object":"https://b.example/notes/1"}`, 0},
		{"undo own follow", `{"id":"https://b.example/a/6","type":"Undo","actor":"https://b.example/users/ann","object":{"id":"https://b.example/a/2","type":"Follow","actor":"https://b.example/users/ann","object":"https://here.example/actors/org"}}`, 0},

		{"signer is not the actor", `{"id":"https://b.example/a/7","type":"Create","actor":"https://b.example/users/bob","object":{"id":"https://b.example/notes/2","type":"Note"}}`, http.StatusForbidden},
		{"activity id on another host", `{"id":"https://evil.example/a/8","type":"Follow","actor":"https://b.example/users/ann","object":"https://here.example/actors/org"}`, http.StatusForbidden},
		{"create of another origin's object", `{"id":"https://b.example/a/9","type":"Create","actor":"https://b.example/users/ann","object":{"id":"https://c.example/articles/1","type":"Article"}}`, http.StatusForbidden},
		{"create attributed to someone else", `{"id":"https://b.example/a/10","type":"Create","actor":"https://b.example/users/ann","object":{"id":"https://b.example/notes/3","type":"Note","attributedTo":"https://b.example/users/bob"}}`, http.StatusForbidden},
		{"update of another origin's object", `{"id":"https://b.example/a/11","type":"Update","actor":"https://b.example/users/ann","object":"https://c.example/articles/1"}`, http.StatusForbidden},
		{"delete of another origin's object", `{"id":"https://b.example/a/12","type":"Delete","actor":"https://b.example/users/ann","object":"https://c.example/articles/1"}`, http.StatusForbidden},
		{"update of another actor", `{"id":"https://b.example/a/13","type":"Update","actor":"https://b.example/users/ann","object":{"id":"https://b.example/users/bob","type":"Person"}}`, http.StatusForbidden},
		{"undo of someone else's follow", `{"id":"https://b.example/a/14","type":"Undo","actor":"https://b.example/users/ann","object":{"id":"https://b.example/a/99","type":"Follow","actor":"https://b.example/users/bob","object":"https://here.example/actors/org"}}`, http.StatusForbidden},
		{"no actor", `{"id":"https://b.example/a/15","type":"Follow","object":"https://here.example/actors/org"}`, http.StatusBadRequest},
		{"create without object", `{"id":"https://b.example/a/16","type":"Create","actor":"https://b.example/users/ann"}`, http.StatusBadRequest},
		{"follow without object", `{"id":"https://b.example/a/17","type":"Follow","actor":"https://b.example/users/ann"}`, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			act, err := parseActivity([]byte(tt.body))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			err = checkOrigin(act, signer)
			if tt.status == 0 {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			fe, ok := err.(*apperr.Error)
			if !ok || fe.Kind.Status() != tt.status || strings.TrimSpace(fe.Message) == "" {
				t.Errorf("checkOrigin = %v, want a %d with a reason", err, tt.status)
			}
		})
	}
}
