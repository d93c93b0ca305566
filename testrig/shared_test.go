package testrig

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// A test reading missing shared data fails under CI and is skipped,
// saying why, elsewhere; present data is found.
func TestShared(t *testing.T) {
	if name := os.Getenv("POLLEN_SHARED_PROBE"); name != "" {
		Shared(t, name)
		return
	}
	for _, tc := range []struct {
		name, ci, want string
	}{
		{"under CI", "true", "--- FAIL"},
		{"outside CI", "", "--- SKIP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestShared$", "-test.v")
			cmd.Env = append(os.Environ(), "POLLEN_SHARED_PROBE=no-such-folder", "CI="+tc.ci)
			out, _ := cmd.CombinedOutput()
			if !strings.Contains(string(out), tc.want) || !strings.Contains(string(out), "no-such-folder is missing") {
				t.Errorf("want %s naming the missing folder, got:\n%s", tc.want, out)
			}
		})
	}
	if _, err := os.Stat("../../shared"); err == nil {
		if p := Shared(t, "fixtures"); !strings.HasSuffix(p, "/shared/fixtures") {
			t.Errorf("Shared(fixtures) = %s", p)
		}
	}
}
