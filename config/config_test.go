package config_test

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
)

// env is a lookup over a fixed map, so that tests never read the process's
// environment.
func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func writeFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pollen.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadDefaults(t *testing.T) {
	cfg, err := config.Load("", env(nil))
	if err != nil {
		t.Fatalf("Load with nothing set: %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"base URL", cfg.BaseURL.String(), "http://localhost:8080"},
		{"host", cfg.Host(), "localhost:8080"},
		{"listen", cfg.Listen, "127.0.0.1:8080"},
		{"data dir", cfg.DataDir, "./data"},
		{"database", cfg.DatabaseDSN(), filepath.Join("data", "pollen.db")},
		{"role", cfg.Role, config.RoleNode},
		{"hub", cfg.IsHub(), false},
		{"private networks", cfg.AllowPrivateNetworks, false},
		{"handle", cfg.Handle, "pollen"},
		{"org type", cfg.OrgType, "other"},
		{"discoverable", cfg.Discoverable, true},
		{"indexable", cfg.Indexable, true},
		{"regions", len(cfg.Regions), len(config.ITL1Regions)},
		{"URL", cfg.URL("/actors/pollen"), "http://localhost:8080/actors/pollen"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("default %s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if err := config.Default().Validate(); err != nil {
		t.Errorf("Default().Validate() = %v", err)
	}
}

func TestLoadFileThenEnvironment(t *testing.T) {
	path := writeFile(t, `
base_url: https://pollen.Example.org:8443/
listen: 0.0.0.0:9000
data_dir: /var/lib/pollen
database_url: postgres://pollen@db/pollen
handle: leeds
name: Leeds City Council
org_type: council
region: Yorkshire and The Humber
role: hub
allow_private_networks: true
manually_approves_followers: true
regions: [Yorkshire and The Humber, North East]
delivery_workers: 3
database_max_connections: 12
http_timeout: 5s
log_format: json
`)
	cfg, err := config.Load(path, env(nil))
	if err != nil {
		t.Fatalf("Load(file): %v", err)
	}
	fileChecks := []struct {
		name      string
		got, want any
	}{
		{"base URL", cfg.BaseURL.String(), "https://pollen.example.org:8443"},
		{"host", cfg.Host(), "pollen.example.org:8443"},
		{"listen", cfg.Listen, "0.0.0.0:9000"},
		{"database", cfg.DatabaseDSN(), "postgres://pollen@db/pollen"},
		{"handle", cfg.Handle, "leeds"},
		{"name", cfg.Name, "Leeds City Council"},
		{"org type", cfg.OrgType, "council"},
		{"region", cfg.Region, "Yorkshire and The Humber"},
		{"hub", cfg.IsHub(), true},
		{"private networks", cfg.AllowPrivateNetworks, true},
		{"manually approves", cfg.ManuallyApprovesFollowers, true},
		{"regions", strings.Join(cfg.Regions, "|"), "Yorkshire and The Humber|North East"},
		{"workers", cfg.DeliveryWorkers, 3},
		{"pool", cfg.DatabaseMaxConnections, 12},
		{"timeout", cfg.HTTPTimeout, 5 * time.Second},
		{"log format", cfg.LogFormat, "json"},
	}
	for _, c := range fileChecks {
		if c.got != c.want {
			t.Errorf("from file: %s = %v, want %v", c.name, c.got, c.want)
		}
	}

	cfg, err = config.Load(path, env(map[string]string{
		"POLLEN_BASE_URL":                 "http://localhost:3000",
		"POLLEN_HANDLE":                   "york",
		"POLLEN_ROLE":                     "node",
		"POLLEN_REGION":                   "North East",
		"POLLEN_ALLOW_PRIVATE_NETWORKS":   "false",
		"POLLEN_DELIVERY_WORKERS":         "7",
		"POLLEN_DATABASE_MAX_CONNECTIONS": "40",
	}))
	if err != nil {
		t.Fatalf("Load(file, env): %v", err)
	}
	envChecks := []struct {
		name      string
		got, want any
	}{
		{"base URL", cfg.BaseURL.String(), "http://localhost:3000"},
		{"handle", cfg.Handle, "york"},
		{"hub", cfg.IsHub(), false},
		{"region", cfg.Region, "North East"},
		{"private networks", cfg.AllowPrivateNetworks, false},
		{"workers", cfg.DeliveryWorkers, 7},
		{"pool", cfg.DatabaseMaxConnections, 40},
		// Not in the environment: the file's value stays.
		{"name", cfg.Name, "Leeds City Council"},
		{"listen", cfg.Listen, "0.0.0.0:9000"},
	}
	for _, c := range envChecks {
		if c.got != c.want {
			t.Errorf("env over file: %s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := config.Load(filepath.Join(t.TempDir(), "nope.yaml"), env(nil))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("Load(missing file) = %v, want an error naming the file", err)
	}
}

func TestLoadBadValues(t *testing.T) {
	tests := []struct {
		name string
		file string            // YAML, or empty
		env  map[string]string // environment
		key  string            // what the error must name
	}{
		{"base url not a URL", "", map[string]string{"POLLEN_BASE_URL": "not a url"}, "POLLEN_BASE_URL"},
		{"base url ftp", "", map[string]string{"POLLEN_BASE_URL": "ftp://example.org"}, "POLLEN_BASE_URL"},
		{"base url with path", "", map[string]string{"POLLEN_BASE_URL": "https://example.org/pollen"}, "POLLEN_BASE_URL"},
		{"base url with query", "", map[string]string{"POLLEN_BASE_URL": "https://example.org?x=1"}, "POLLEN_BASE_URL"},
		{"base url in file", "base_url: example.org\n", nil, "base_url"},
		{"listen empty", "", map[string]string{"POLLEN_LISTEN": ""}, "listen"},
		{"listen without port", "", map[string]string{"POLLEN_LISTEN": "localhost"}, "listen"},
		{"pprof on every address", "", map[string]string{"POLLEN_PPROF_LISTEN": "0.0.0.0:6060"}, "pprof_listen"},
		{"pprof on a name", "", map[string]string{"POLLEN_PPROF_LISTEN": "localhost:6060"}, "pprof_listen"},
		{"pprof without port", "pprof_listen: 127.0.0.1\n", nil, "pprof_listen"},
		{"handle upper case", "", map[string]string{"POLLEN_HANDLE": "Leeds"}, "handle"},
		{"handle with space", "handle: a b\n", nil, "handle"},
		{"name empty", "", map[string]string{"POLLEN_NAME": "  "}, "name"},
		{"org type unknown", "", map[string]string{"POLLEN_ORG_TYPE": "company"}, "org_type"},
		{"region unknown", "", map[string]string{"POLLEN_REGION": "Atlantis"}, "region"},
		{"regions empty", "", map[string]string{"POLLEN_REGIONS": " , "}, "regions"},
		{"role unknown", "", map[string]string{"POLLEN_ROLE": "relay"}, "role"},
		{"role in file", "role: relay\n", nil, "role"},
		{"private networks not bool", "", map[string]string{"POLLEN_ALLOW_PRIVATE_NETWORKS": "maybe"}, "POLLEN_ALLOW_PRIVATE_NETWORKS"},
		{"discoverable not bool", "discoverable: sometimes\n", nil, "discoverable"},
		{"workers not a number", "", map[string]string{"POLLEN_DELIVERY_WORKERS": "many"}, "POLLEN_DELIVERY_WORKERS"},
		{"workers negative", "delivery_workers: -1\n", nil, "delivery_workers"},
		{"workers zero", "", map[string]string{"POLLEN_DELIVERY_WORKERS": "0"}, "delivery_workers"},
		{"pool zero", "", map[string]string{"POLLEN_DATABASE_MAX_CONNECTIONS": "0"}, "database_max_connections"},
		{"pool not a number", "", map[string]string{"POLLEN_DATABASE_MAX_CONNECTIONS": "lots"}, "POLLEN_DATABASE_MAX_CONNECTIONS"},
		{"per host zero", "", map[string]string{"POLLEN_DELIVERY_PER_HOST": "0"}, "delivery_per_host"},
		{"lease shorter than two timeouts", "", map[string]string{"POLLEN_DELIVERY_LEASE": "20s"}, "delivery_lease"},
		{"lease not a duration", "", map[string]string{"POLLEN_DELIVERY_LEASE": "60"}, "POLLEN_DELIVERY_LEASE"},
		{"timeout not a duration", "", map[string]string{"POLLEN_HTTP_TIMEOUT": "10"}, "POLLEN_HTTP_TIMEOUT"},
		{"grace negative", "shutdown_grace_period: -5s\n", nil, "shutdown_grace_period"},
		{"log level", "", map[string]string{"POLLEN_LOG_LEVEL": "loud"}, "log_level"},
		{"log format", "", map[string]string{"POLLEN_LOG_FORMAT": "xml"}, "log_format"},
		{"website relative", "", map[string]string{"POLLEN_WEBSITE": "/about"}, "website"},
		{"unknown key in file", "colour: blue\n", nil, "colour"},
		{"file not YAML", "base_url: [unclosed\n", nil, "config file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := ""
			if tt.file != "" {
				path = writeFile(t, tt.file)
			}
			_, err := config.Load(path, env(tt.env))
			if err == nil {
				t.Fatalf("Load accepted a bad value; want an error naming %s", tt.key)
			}
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Load error %v is not a *config.Error", err)
			}
			if !strings.Contains(ce.Key, tt.key) || ce.Reason == "" {
				t.Errorf("error %q: key %q, want it to name %q and give a reason", err, ce.Key, tt.key)
			}
			if !strings.Contains(err.Error(), tt.key) {
				t.Errorf("message %q does not name %q", err, tt.key)
			}
		})
	}
}

func TestEnvName(t *testing.T) {
	if got := config.EnvName("base_url"); got != "POLLEN_BASE_URL" {
		t.Errorf("EnvName(base_url) = %q", got)
	}
}

func TestOrgTypesAndRegions(t *testing.T) {
	for _, want := range []string{"council", "public service mutual", "social enterprise", "charity", "other"} {
		if !slices.Contains(config.OrgTypes, want) {
			t.Errorf("OrgTypes lacks %q", want)
		}
	}
	if len(config.ITL1Regions) != 12 {
		t.Errorf("ITL1Regions has %d regions, want the UK's 12", len(config.ITL1Regions))
	}
}

// TestTrustedProxies reads the list from the file and the environment:
// CIDRs and bare addresses, none by default, bad entries named.
func TestTrustedProxies(t *testing.T) {
	cfg, err := config.Load("", env(nil))
	if err != nil || len(cfg.TrustedProxies) != 0 {
		t.Fatalf("default trusted proxies %v, %v: want none", cfg.TrustedProxies, err)
	}
	if cfg.TrustsProxy(netip.MustParseAddr("127.0.0.1")) {
		t.Error("loopback trusted by default")
	}
	path := writeFile(t, "trusted_proxies: [10.1.0.0/16, 192.0.2.7, \"2001:db8::/32\"]\n")
	cfg, err = config.Load(path, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	for addr, want := range map[string]bool{
		"10.1.2.3": true, "10.2.0.1": false, "192.0.2.7": true, "192.0.2.8": false,
		"::ffff:10.1.9.9": true, "2001:db8::1": true, "2001:db9::1": false,
	} {
		if got := cfg.TrustsProxy(netip.MustParseAddr(addr)); got != want {
			t.Errorf("TrustsProxy(%s) = %v, want %v", addr, got, want)
		}
	}
	cfg, err = config.Load(path, env(map[string]string{"POLLEN_TRUSTED_PROXIES": "127.0.0.1/32"}))
	if err != nil || len(cfg.TrustedProxies) != 1 || !cfg.TrustsProxy(netip.MustParseAddr("127.0.0.1")) {
		t.Errorf("from the environment: %v, %v", cfg.TrustedProxies, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "10.0.0.1/x"} {
		_, err := config.Load("", env(map[string]string{"POLLEN_TRUSTED_PROXIES": bad}))
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Key != "POLLEN_TRUSTED_PROXIES" {
			t.Errorf("POLLEN_TRUSTED_PROXIES=%s: %v, want an error naming the key", bad, err)
		}
	}
}
