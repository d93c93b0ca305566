package fetch

import (
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/config"
)

// TestWebFingerSchemes: loopback hosts are asked over http, others over
// https, and over http too when private networks are allowed.
func TestWebFingerSchemes(t *testing.T) {
	cfg := config.Default()
	cfg.AllowPrivateNetworks = true
	f := &Fetcher{cfg: cfg}
	for host, want := range map[string]string{
		"127.0.0.1:8080": "http", "localhost:3000": "http", "[::1]:80": "http", "pollen.localhost": "http",
		"node-a:8080": "https http", "social.example": "https http",
	} {
		if got := strings.Join(f.webfingerSchemes(host), " "); got != want {
			t.Errorf("schemes for %s = %s, want %s", host, got, want)
		}
	}
	strict := &Fetcher{cfg: config.Default()}
	if got := strings.Join(strict.webfingerSchemes("social.example"), " "); got != "https" {
		t.Errorf("schemes without private networks = %s", got)
	}
}
