package testrig

import (
	"testing"
	"time"
)

// WaitTimeout is how long Eventually waits before it fails a test. It is a
// limit against hanging, not a measure: nothing asserts how fast things are.
const WaitTimeout = 60 * time.Second

// Eventually polls cond until it holds, failing the test with what when it
// has not held within WaitTimeout.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(WaitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
