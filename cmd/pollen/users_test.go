package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// runUsers runs the pollen command with args and stdin, on the database of
// dir, and returns what it printed and its error.
func runUsers(t *testing.T, dir, stdin string, args ...string) (string, error) {
	t.Helper()
	t.Setenv("POLLEN_DATA_DIR", dir)
	t.Setenv("POLLEN_DATABASE_URL", filepath.Join(dir, "pollen.db"))
	var out, errOut bytes.Buffer
	root := newRoot(&out, &errOut)
	root.SetIn(strings.NewReader(stdin))
	root.SetArgs(args)
	err := root.Execute()
	return out.String() + errOut.String(), err
}

func TestUsersCommands(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("POLLEN_CONFIG", "")
	t.Setenv("POLLEN_BASE_URL", "http://localhost:8080")
	must := func(stdin string, args ...string) string {
		t.Helper()
		out, err := runUsers(t, dir, stdin, args...)
		if err != nil {
			t.Fatalf("pollen %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	refused := func(want, stdin string, args ...string) {
		t.Helper()
		out, err := runUsers(t, dir, stdin, args...)
		if err == nil || !strings.Contains(err.Error()+out, want) {
			t.Errorf("pollen %s: %v %q, want refused with %q", strings.Join(args, " "), err, out, want)
		}
	}

	out := must("correct horse battery staple\n", "users", "create", "--email", "Asha@Example.org", "--role", "admin", "--password-stdin")
	if !strings.Contains(out, "Created admin user asha@example.org") {
		t.Errorf("create said %q", out)
	}
	// No newline at the end of the input is fine too.
	must("a long editor passphrase", "users", "create", "--email", "tom@example.org", "--role", "editor", "--password-stdin")
	refused("exists already", "another long passphrase\n", "users", "create", "--email", "ASHA@example.org", "--role", "editor", "--password-stdin")
	refused("12 characters", "short\n", "users", "create", "--email", "new@example.org", "--role", "editor", "--password-stdin")
	refused("too common", "winniethepooh\n", "users", "create", "--email", "new@example.org", "--role", "editor", "--password-stdin")
	refused("admin or editor", "a long editor passphrase\n", "users", "create", "--email", "new@example.org", "--role", "owner", "--password-stdin")
	refused("not a terminal", "", "users", "create", "--email", "new@example.org", "--role", "editor")

	must("a new long passphrase\r\n", "users", "passwd", "tom@example.org", "--password-stdin")
	refused("no user", "a new long passphrase\n", "users", "passwd", "nobody@example.org", "--password-stdin")
	must("", "users", "disable", "TOM@example.org")
	refused("no user", "", "users", "disable", "nobody@example.org")

	out = must("", "users", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "EMAIL") ||
		!strings.Contains(lines[1], "asha@example.org") || !strings.HasSuffix(lines[1], "active") ||
		!strings.Contains(lines[2], "tom@example.org") || !strings.HasSuffix(lines[2], "disabled") {
		t.Errorf("users list:\n%s", out)
	}
}
