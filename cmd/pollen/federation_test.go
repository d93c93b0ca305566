package main

import (
	"strings"
	"testing"
)

// TestFederationCommands: block, allow, list, unblock and disallow, with
// their refusals, on one database.
func TestFederationCommands(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("POLLEN_CONFIG", "")
	t.Setenv("POLLEN_BASE_URL", "http://localhost:8080")
	for _, step := range []struct {
		args []string
		want string // in the output, or in the error when refused
		fail bool
	}{
		{[]string{"federation", "block", "Spam.Example:8443", "--reason", "spam"}, "Blocked spam.example:8443; removed 0 follows.", false},
		{[]string{"federation", "block", "--actor", "https://ok.example/users/troll"}, "Blocked https://ok.example/users/troll", false},
		{[]string{"federation", "allow", "https://Council.example/actors/org"}, "Allowed council.example.\nThe node is not in the allowlist mode", false},
		{[]string{"federation", "list"}, "Mode: open", false},
		{[]string{"federation", "block", "spam.example:8443"}, "blocked already", true},
		{[]string{"federation", "block", "not a domain"}, "domain Enter a domain", true},
		{[]string{"federation", "block", "localhost:8080"}, "own domain", true},
		{[]string{"federation", "unblock", "never.example"}, "no such rule", true},
		{[]string{"federation", "unblock", "spam.example:8443"}, "Unblocked spam.example:8443.", false},
		{[]string{"federation", "unblock", "--actor", "https://ok.example/users/troll"}, "Unblocked https://ok.example/users/troll.", false},
		{[]string{"federation", "disallow", "council.example"}, "Took council.example off the allowlist.", false},
	} {
		out, err := runUsers(t, dir, "", step.args...)
		switch {
		case step.fail && (err == nil || !strings.Contains(err.Error()+out, step.want)):
			t.Errorf("pollen %s: %v %q, want refused with %q", strings.Join(step.args, " "), err, out, step.want)
		case !step.fail && (err != nil || !strings.Contains(out, step.want)):
			t.Errorf("pollen %s: %v %q, want %q", strings.Join(step.args, " "), err, out, step.want)
		}
		if strings.Join(step.args, " ") == "federation list" {
			for _, want := range []string{"blocked        spam.example:8443", "blocked actor  https://ok.example/users/troll", "allowed        council.example", "spam"} {
				if !strings.Contains(out, want) {
					t.Errorf("list misses %q:\n%s", want, out)
				}
			}
		}
	}
	out, err := runUsers(t, dir, "", "federation", "list")
	if err != nil || strings.Contains(out, "example") {
		t.Errorf("list after undoing everything: %v\n%s", err, out)
	}
}
